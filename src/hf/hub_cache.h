// The cache layout of huggingface_hub, so that a model downloaded by Python or by
// bertcls is used by both:
//   $HF_HUB_CACHE/models--ORG--NAME/
//     refs/<revision>            the commit a branch or tag pointed at when last seen
//     blobs/<etag>               file contents, named by git sha1 or (LFS) sha256
//     snapshots/<commit>/<file>  relative symlinks into blobs
// A blob is complete before any snapshot links to it; downloads in progress live in
// blobs/<etag>.incomplete and resume from there.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace bertcls::hf {

// "ORG/NAME" or "NAME", in the hub's characters; throws Error naming the id otherwise.
void validate_repo_id(std::string_view repo_id);
bool is_commit_hash(std::string_view revision);

class HubCache {
 public:
  explicit HubCache(std::filesystem::path root) : root_(std::move(root)) {}
  // $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
  // else ~/.cache/huggingface/hub: the order huggingface_hub uses.
  static HubCache from_environment();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path repo_dir(const std::string& repo_id) const;
  std::filesystem::path snapshot_dir(const std::string& repo_id, const std::string& commit) const;
  std::filesystem::path blob_path(const std::string& repo_id, const std::string& etag) const;

  std::optional<std::string> read_ref(const std::string& repo_id, const std::string& revision) const;
  void write_ref(const std::string& repo_id, const std::string& revision, const std::string& commit) const;

  // Points snapshots/<commit>/<file> at blobs/<etag> with a relative symlink, as
  // huggingface_hub does, replacing a stale link.
  void link_snapshot_file(const std::string& repo_id, const std::string& commit,
                          const std::string& file, const std::string& etag) const;

 private:
  std::filesystem::path root_;
};

}  // namespace bertcls::hf
