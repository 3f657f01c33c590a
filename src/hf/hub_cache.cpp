#include "hf/hub_cache.h"

#include <cstdlib>
#include <fstream>
#include <regex>

#include <bertcls/error.h>
#include "io/atomic_file.h"

namespace fs = std::filesystem;

namespace bertcls::hf {

void validate_repo_id(std::string_view repo_id) {
  // The hub's rule: one optional namespace, names of [A-Za-z0-9_.-], no "--" or ".."
  // (they would break the models--ORG--NAME folder name), at most 96 characters.
  static const std::regex pattern(R"(^([A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*$)");
  std::string id(repo_id);
  if (id.size() > 96 || !std::regex_match(id, pattern) || id.find("--") != std::string::npos ||
      id.find("..") != std::string::npos || id.back() == '.' || id.back() == '-')
    throw Error("'" + id + "' is not a Hugging Face repo id (expected ORG/NAME, e.g. cointegrated/rubert-tiny2)");
}

bool is_commit_hash(std::string_view revision) {
  if (revision.size() != 40) return false;
  for (char c : revision)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

HubCache HubCache::from_environment() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  if (!env("HF_HUB_CACHE").empty()) return HubCache(env("HF_HUB_CACHE"));
  if (!env("HUGGINGFACE_HUB_CACHE").empty()) return HubCache(env("HUGGINGFACE_HUB_CACHE"));
  if (!env("HF_HOME").empty()) return HubCache(fs::path(env("HF_HOME")) / "hub");
  if (!env("XDG_CACHE_HOME").empty()) return HubCache(fs::path(env("XDG_CACHE_HOME")) / "huggingface" / "hub");
  if (env("HOME").empty()) throw Error("cannot locate the Hugging Face cache: set HF_HUB_CACHE or HOME");
  return HubCache(fs::path(env("HOME")) / ".cache" / "huggingface" / "hub");
}

fs::path HubCache::repo_dir(const std::string& repo_id) const {
  std::string folder = "models--" + repo_id;
  for (size_t pos; (pos = folder.find('/')) != std::string::npos;) folder.replace(pos, 1, "--");
  return root_ / folder;
}

fs::path HubCache::snapshot_dir(const std::string& repo_id, const std::string& commit) const {
  return repo_dir(repo_id) / "snapshots" / commit;
}

fs::path HubCache::blob_path(const std::string& repo_id, const std::string& etag) const {
  return repo_dir(repo_id) / "blobs" / etag;
}

std::optional<std::string> HubCache::read_ref(const std::string& repo_id, const std::string& revision) const {
  std::ifstream in(repo_dir(repo_id) / "refs" / revision);
  std::string commit;
  if (!in || !std::getline(in, commit) || !is_commit_hash(commit)) return std::nullopt;
  return commit;
}

void HubCache::write_ref(const std::string& repo_id, const std::string& revision, const std::string& commit) const {
  fs::path ref = repo_dir(repo_id) / "refs" / revision;
  fs::create_directories(ref.parent_path());
  // huggingface_hub writes the bare hash, no newline.
  io::write_file_atomically(ref, [&](std::ostream& out) { out << commit; });
}

void HubCache::link_snapshot_file(const std::string& repo_id, const std::string& commit,
                                  const std::string& file, const std::string& etag) const {
  fs::path link = snapshot_dir(repo_id, commit) / file;
  fs::create_directories(link.parent_path());
  // From snapshots/<commit>/<dirs...>/<name> back up to the repo folder, then into blobs.
  fs::path target = "..";
  fs::path in_repo(file);
  for (auto it = in_repo.begin(); it != in_repo.end(); ++it) target /= "..";
  target = target / "blobs" / etag;
  std::error_code ec;
  fs::remove(link, ec);
  fs::create_symlink(target, link, ec);
  if (ec) throw Error(link.string() + ": cannot create the cache link to " + target.string() + ": " + ec.message());
}

}  // namespace bertcls::hf
