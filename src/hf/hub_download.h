// Models by name: `cointegrated/rubert-tiny2` resolves to a snapshot folder in the
// huggingface_hub cache, downloading what is missing from $HF_ENDPOINT.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hf/hub_cache.h"

namespace bertcls::hf {

struct HubSettings {
  std::string endpoint = "https://huggingface.co";
  HubCache cache{""};
  std::optional<std::string> token;  // sent as a bearer token
  bool offline = false;              // cache only, no network
  bool show_progress = false;        // a progress line per file on stderr

  // HF_ENDPOINT, the cache variables (see HubCache), HF_TOKEN (else the token file
  // huggingface-cli login writes, $HF_HOME/token), HF_HUB_OFFLINE=1.
  static HubSettings from_environment();
};

struct SnapshotRequest {
  std::string repo_id;
  std::string revision = "main";
  // Glob patterns (fnmatch: * ? [..]) over file paths in the repo. Empty: what bertcls
  // needs: config.json, the tokenizer files and one set of weights (model.safetensors,
  // else the sharded safetensors index and its shards, else pytorch_model.bin).
  std::vector<std::string> include;
};

// Returns snapshots/<commit> with every requested file present. A revision that is a
// commit hash and already complete in the cache costs no network traffic; a branch
// costs one metadata request and no file traffic when nothing changed.
std::filesystem::path download_snapshot(const SnapshotRequest& request, const HubSettings& settings);

// --model: an existing folder is used as it is; otherwise the value must be a repo id
// (optionally ORG/NAME@REVISION) and resolves through download_snapshot.
std::filesystem::path resolve_model(const std::string& model, const HubSettings& settings);

}  // namespace bertcls::hf
