#include "hf/hub_download.h"

#include <fnmatch.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include <bertcls/error.h>
#include "io/http_client.h"
#include "io/sha256.h"

namespace fs = std::filesystem;

namespace bertcls::hf {
namespace {

using io::HttpClient;
using io::HttpResponse;
using io::TransferError;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

bool env_true(const char* name) {
  std::string v = env_or(name, "");
  for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

// Percent-encodes a path segment; '/' is kept when the value is a path inside the repo.
std::string escape(const std::string& s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// ETags come quoted, and weak ones prefixed with W/; the cache names blobs by the bare value.
std::string bare_etag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag.erase(0, 2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

// A sentence a user can act on, from the hub's status and its X-Error-Code header.
[[noreturn]] void throw_hub_error(const HttpResponse& r, const std::string& repo_id, const std::string& what) {
  std::string code = r.header("x-error-code");
  std::string detail = r.header("x-error-message");
  std::string status = " (HTTP " + std::to_string(r.status) + (detail.empty() ? "" : ": " + detail) + ")";
  if (code == "GatedRepo")
    throw Error(repo_id + " is a gated model" + status +
                ": accept its conditions on the hub, then set HF_TOKEN to a token of that account");
  if (r.status == 401 || r.status == 403 || code == "RepoNotFound")
    throw Error(repo_id + ": repository not found, or private" + status +
                ": check the name; for a private model set HF_TOKEN to a token with access");
  if (code == "RevisionNotFound") throw Error(repo_id + ": " + what + ": revision not found" + status);
  if (r.status == 404) throw Error(repo_id + ": " + what + ": not found on the hub" + status);
  throw Error(repo_id + ": " + what + ": the hub answered" + status);
}

[[noreturn]] void throw_no_network(const std::string& endpoint, const TransferError& e) {
  throw Error("cannot reach " + endpoint + " (" + e.message +
              "). Without network, pass a local model folder (--model ./DIR) or set HF_HUB_OFFLINE=1 "
              "to use models already in the Hugging Face cache");
}

// Repo paths come from the server: refuse anything that could escape the snapshot folder.
void validate_repo_file(const std::string& file) {
  if (file.empty() || file.front() == '/' || file.find('\\') != std::string::npos ||
      file.find('\0') != std::string::npos)
    throw Error("the hub listed an invalid file name '" + file + "'");
  for (const auto& part : fs::path(file))
    if (part == ".." || part == ".") throw Error("the hub listed an invalid file name '" + file + "'");
}

struct RepoInfo {
  std::string commit;
  std::vector<std::string> files;
};

RepoInfo fetch_repo_info(const HttpClient& client, const SnapshotRequest& request, const HubSettings& settings) {
  std::string url = settings.endpoint + "/api/models/" + request.repo_id + "/revision/" + escape(request.revision, false);
  HttpResponse r = client.get(url);
  if (r.status != 200) throw_hub_error(r, request.repo_id, "revision " + request.revision);
  RepoInfo info;
  try {
    auto json = nlohmann::json::parse(r.body);
    info.commit = json.at("sha").get<std::string>();
    for (const auto& sibling : json.at("siblings")) info.files.push_back(sibling.at("rfilename").get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw Error(url + ": unexpected answer from the hub: " + e.what());
  }
  if (!is_commit_hash(info.commit)) throw Error(url + ": the hub gave an invalid commit hash '" + info.commit + "'");
  for (const auto& f : info.files) validate_repo_file(f);
  return info;
}

bool matches_any(const std::string& file, const std::vector<std::string>& patterns) {
  for (const auto& p : patterns)
    if (fnmatch(p.c_str(), file.c_str(), 0) == 0) return true;
  return false;
}

const char* kSafetensors = "model.safetensors";
const char* kSafetensorsIndex = "model.safetensors.index.json";
const char* kTorchBin = "pytorch_model.bin";

// What a classifier folder needs when the user names no patterns.
std::vector<std::string> default_files(const std::vector<std::string>& available, const std::string& repo_id) {
  std::set<std::string> have(available.begin(), available.end());
  if (!have.count("config.json")) throw Error(repo_id + ": the repository has no config.json: not a transformers model");
  std::vector<std::string> files{"config.json"};
  // vocab.json + merges.txt: a byte-level BPE tokenizer (RoBERTa's) without tokenizer.json.
  for (const char* f :
       {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt"})
    if (have.count(f)) files.push_back(f);
  if (have.count(kSafetensors)) files.push_back(kSafetensors);
  else if (have.count(kSafetensorsIndex)) files.push_back(kSafetensorsIndex);
  else if (have.count(kTorchBin)) files.push_back(kTorchBin);
  else throw Error(repo_id + ": the repository has no model.safetensors, sharded safetensors or pytorch_model.bin");
  return files;
}

std::vector<std::string> shards_of_index(const fs::path& index) {
  std::set<std::string> shards;
  try {
    std::ifstream in(index);
    auto json = nlohmann::json::parse(in);
    for (const auto& [key, shard] : json.at("weight_map").items()) shards.insert(shard.get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw Error(index.string() + ": not a valid safetensors index: " + e.what());
  }
  for (const auto& s : shards) validate_repo_file(s);
  return {shards.begin(), shards.end()};
}

class ProgressLine {
 public:
  ProgressLine(std::string name, bool enabled) : name_(std::move(name)), enabled_(enabled), tty_(isatty(2)) {}
  void update(uint64_t done, uint64_t total) {
    if (!enabled_ || !tty_) return;
    int percent = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 0;
    std::fprintf(stderr, "\r%-32s %8.1f / %.1f MB %3d%%", name_.c_str(), done / 1e6, total / 1e6, percent);
  }
  void finish(uint64_t bytes) {
    if (!enabled_) return;
    std::fprintf(stderr, "%sdownloaded %s (%.1f MB)\n", tty_ ? "\r\033[K" : "", name_.c_str(), bytes / 1e6);
  }

 private:
  std::string name_;
  bool enabled_, tty_;
};

class FileCloser {
 public:
  explicit FileCloser(std::FILE* f) : f_(f) {}
  ~FileCloser() { if (f_) std::fclose(f_); }
  std::FILE* get() const { return f_; }
  int close() { int rc = std::fclose(f_); f_ = nullptr; return rc; }

 private:
  std::FILE* f_;
};

// Downloads `url` into blob, through blob.incomplete, resuming what an earlier attempt
// left there. Only a complete blob whose size (and sha256, for LFS files) checks out is
// renamed into place.
void fetch_blob(const HttpClient& client, const std::string& url, const fs::path& blob, uint64_t expected_size,
                const std::string& expected_sha256, const std::string& display_name, const HubSettings& settings) {
  fs::create_directories(blob.parent_path());
  fs::path partial = blob;
  partial += ".incomplete";
  ProgressLine progress(display_name, settings.show_progress);
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    uint64_t offset = fs::exists(partial) ? fs::file_size(partial) : 0;
    if (expected_size > 0 && offset == expected_size) break;
    if (expected_size > 0 && offset > expected_size) {
      fs::remove(partial);
      offset = 0;
    }
    FileCloser file(std::fopen(partial.c_str(), offset ? "r+b" : "wb"));
    if (!file.get()) throw Error(partial.string() + ": cannot write: " + std::strerror(errno));
    std::string write_error;
    auto sink = [&](uint64_t position, const char* data, size_t size) {
      if (std::ftell(file.get()) != static_cast<long>(position) &&
          (std::fseek(file.get(), static_cast<long>(position), SEEK_SET) != 0 ||
           ftruncate(fileno(file.get()), static_cast<off_t>(position)) != 0)) {
        write_error = std::strerror(errno);
        return false;
      }
      if (std::fwrite(data, 1, size, file.get()) != size) {
        write_error = std::strerror(errno);
        return false;
      }
      return true;
    };
    if (offset) std::fseek(file.get(), static_cast<long>(offset), SEEK_SET);
    HttpResponse r;
    try {
      r = client.download(url, offset, sink, [&](uint64_t got, uint64_t total) {
        progress.update(offset + got, expected_size ? expected_size : offset + total);
      });
    } catch (const TransferError& e) {
      file.close();
      if (!write_error.empty())
        throw Error(partial.string() + ": cannot write the download: " + write_error +
                    " (disk full?). The partial file stays in blobs/ and resumes on the next run; "
                    "nothing was added to snapshots/");
      if (e.connection_failed && attempt == 1 && offset == 0) throw_no_network(settings.endpoint, e);
      if (attempt == kAttempts) throw Error(display_name + ": download failed after " + std::to_string(kAttempts) +
                                            " attempts: " + e.message + " (rerun to resume)");
      continue;  // the connection was cut: resume from what reached the disk
    }
    if (file.close() != 0) throw Error(partial.string() + ": cannot write the download: " + std::strerror(errno));
    if (r.status == 416) {  // our partial file is longer than the server's: start over
      fs::remove(partial);
      if (attempt == kAttempts) throw Error(display_name + ": the server refuses to resume the download");
      continue;
    }
    if (r.status != 200 && r.status != 206) throw_hub_error(r, display_name, "download");
    if (expected_size == 0) break;
    if (fs::file_size(partial) == expected_size) break;
    if (attempt == kAttempts) break;  // the size check below reports it
  }
  uint64_t size = fs::file_size(partial);
  if (expected_size > 0 && size != expected_size) {
    fs::remove(partial);
    throw Error(display_name + ": downloaded " + std::to_string(size) + " bytes, the hub announced " +
                std::to_string(expected_size) + "; the partial file was removed, rerun to retry");
  }
  if (!expected_sha256.empty()) {
    std::string actual = io::sha256_file(partial);
    if (actual != expected_sha256) {
      fs::remove(partial);
      throw Error(display_name + ": checksum mismatch: sha256 " + actual + ", the hub announced " + expected_sha256 +
                  "; the corrupted download was removed, rerun to retry");
    }
  }
  fs::rename(partial, blob);
  progress.finish(size);
}

// hf_hub_download for one file at a fixed commit: HEAD for the metadata (following only
// the hub's own relative redirects, e.g. a renamed repo), then the blob, then the link.
void download_file(const HttpClient& client, const SnapshotRequest& request, const std::string& commit,
                   const std::string& file, const HubSettings& settings) {
  const HubCache& cache = settings.cache;
  if (fs::exists(cache.snapshot_dir(request.repo_id, commit) / file)) return;
  std::string url = settings.endpoint + "/" + request.repo_id + "/resolve/" + commit + "/" + escape(file, true);
  HttpResponse head = client.head(url);
  for (int hops = 0; head.status >= 300 && head.status < 400 && head.header("location").rfind("/", 0) == 0; ++hops) {
    if (hops == 10) throw Error(url + ": too many redirects");
    head = client.head(settings.endpoint + head.header("location"));
  }
  bool redirected = head.status >= 300 && head.status < 400;
  if (head.status >= 400 || (!redirected && head.status != 200)) throw_hub_error(head, request.repo_id, file);
  std::string linked_etag = bare_etag(head.header("x-linked-etag"));
  std::string etag = linked_etag.empty() ? bare_etag(head.header("etag")) : linked_etag;
  if (etag.empty() || etag.find('/') != std::string::npos || etag.find("..") != std::string::npos)
    throw Error(url + ": the hub sent no usable ETag for " + file);
  std::string size_header = head.header("x-linked-size");
  if (size_header.empty()) size_header = head.header("content-length");
  uint64_t size = size_header.empty() ? 0 : std::strtoull(size_header.c_str(), nullptr, 10);
  // LFS files are named by their sha256, which is also their checksum.
  bool lfs = !linked_etag.empty() && linked_etag.size() == 64;
  fs::path blob = cache.blob_path(request.repo_id, etag);
  if (!fs::exists(blob))
    fetch_blob(client, redirected ? head.header("location") : url, blob, size, lfs ? etag : "", file, settings);
  cache.link_snapshot_file(request.repo_id, commit, file, etag);
}

bool has_weights(const fs::path& dir) {
  return fs::exists(dir / kSafetensors) || fs::exists(dir / kSafetensorsIndex) || fs::exists(dir / kTorchBin);
}

}  // namespace

HubSettings HubSettings::from_environment() {
  HubSettings s;
  s.endpoint = env_or("HF_ENDPOINT", s.endpoint);
  while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
  s.cache = HubCache::from_environment();
  std::string token = env_or("HF_TOKEN", env_or("HUGGING_FACE_HUB_TOKEN", ""));
  if (token.empty()) {
    fs::path home = env_or("HF_HOME", env_or("HOME", "") + "/.cache/huggingface");
    std::ifstream in(home / "token");
    std::getline(in, token);
  }
  if (!token.empty()) s.token = token;
  s.offline = env_true("HF_HUB_OFFLINE") || env_true("TRANSFORMERS_OFFLINE");
  return s;
}

fs::path download_snapshot(const SnapshotRequest& request, const HubSettings& settings) {
  validate_repo_id(request.repo_id);
  if (request.revision.empty() || request.revision.find("..") != std::string::npos)
    throw Error(request.repo_id + ": invalid revision '" + request.revision + "'");
  const HubCache& cache = settings.cache;
  std::optional<std::string> cached_commit =
      is_commit_hash(request.revision) ? request.revision : cache.read_ref(request.repo_id, request.revision);
  auto cached_snapshot = [&]() -> std::optional<fs::path> {
    if (!cached_commit) return std::nullopt;
    fs::path dir = cache.snapshot_dir(request.repo_id, *cached_commit);
    if (fs::exists(dir / "config.json") && has_weights(dir)) return dir;
    return std::nullopt;
  };

  if (settings.offline) {
    if (auto dir = cached_snapshot()) return *dir;
    throw Error("HF_HUB_OFFLINE is set and " + request.repo_id + " (revision " + request.revision +
                ") is not in the cache at " + cache.root().string() +
                ": download it once with network (bertcls download " + request.repo_id + ") or pass a local folder");
  }
  if (is_commit_hash(request.revision) && request.include.empty())
    if (auto dir = cached_snapshot()) return *dir;

  HttpClient client(settings.token);
  RepoInfo info;
  try {
    info = fetch_repo_info(client, request, settings);
  } catch (const TransferError& e) {
    if (!e.connection_failed) throw Error(e.message);
    // As huggingface_hub: without network, a cached snapshot of the revision still serves.
    if (auto dir = cached_snapshot()) {
      std::fprintf(stderr, "bertcls: %s unreachable, using the cached %s\n", settings.endpoint.c_str(), dir->c_str());
      return *dir;
    }
    throw_no_network(settings.endpoint, e);
  }
  if (info.commit != request.revision) cache.write_ref(request.repo_id, request.revision, info.commit);

  std::vector<std::string> files;
  if (request.include.empty()) {
    files = default_files(info.files, request.repo_id);
  } else {
    for (const auto& f : info.files)
      if (matches_any(f, request.include)) files.push_back(f);
    if (files.empty()) throw Error(request.repo_id + ": no file matches the include patterns");
  }
  fs::path snapshot = cache.snapshot_dir(request.repo_id, info.commit);
  try {
    for (const auto& f : files) download_file(client, request, info.commit, f, settings);
    if (request.include.empty() && files.back() == kSafetensorsIndex)
      for (const auto& shard : shards_of_index(snapshot / kSafetensorsIndex))
        download_file(client, request, info.commit, shard, settings);
  } catch (const TransferError& e) {
    throw Error(e.message);
  }
  return snapshot;
}

fs::path resolve_model(const std::string& model, const HubSettings& settings) {
  if (fs::is_directory(model)) return model;
  SnapshotRequest request;
  request.repo_id = model;
  if (auto at = model.find('@'); at != std::string::npos) {
    request.repo_id = model.substr(0, at);
    request.revision = model.substr(at + 1);
  }
  bool looks_like_path = model.rfind("/", 0) == 0 || model.rfind(".", 0) == 0 ||
                         std::count(model.begin(), model.end(), '/') > 1;
  if (looks_like_path) throw Error("model " + model + ": no such folder");
  try {
    validate_repo_id(request.repo_id);
  } catch (const Error&) {
    throw Error("model " + model + ": neither a folder nor a Hugging Face repo id (ORG/NAME)");
  }
  return download_snapshot(request, settings);
}

}  // namespace bertcls::hf
