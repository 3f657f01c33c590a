// bertcls download: fetch a model by name into the huggingface_hub cache and print the
// snapshot folder, which every --model option also accepts.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "hf/hub_download.h"

namespace bertcls::cli {

void add_download_command(CLI::App& app) {
  auto request = std::make_shared<hf::SnapshotRequest>();
  CLI::App* cmd = app.add_subcommand(
      "download", "Download a model from the Hugging Face hub into its cache (shared with Python)");
  cmd->add_option("repo", request->repo_id, "Repo id, e.g. cointegrated/rubert-tiny2")->required();
  cmd->add_option("--revision", request->revision, "Branch, tag or commit hash")->capture_default_str();
  cmd->add_option("--include", request->include,
                  "Glob of files to fetch (repeatable); default: config, tokenizer files and the weights");
  cmd->callback([request] {
    hf::HubSettings settings = hf::HubSettings::from_environment();
    settings.show_progress = true;
    std::string dir = hf::download_snapshot(*request, settings).string();
    std::printf("%s\n", dir.c_str());
  });
}

}  // namespace bertcls::cli
