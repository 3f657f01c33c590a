// Models by name against a loopback imitation of the hub: the cache must come out in
// huggingface_hub's layout, and every failure must leave the cache usable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <bertcls/error.h>
#include "hf/hub_download.h"
#include "support/cli_runner.h"
#include "support/fake_hub.h"
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using bertcls::hf::HubCache;
using bertcls::hf::HubSettings;
using bertcls::hf::SnapshotRequest;
using bertcls::test::FakeHub;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string random_bytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16);
  return s;
}

class HubDownload : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_root = fs::temp_directory_path() /
                 ("bertcls_hub_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(cache_root);
    hub.files["config.json"] = {"{\"model_type\": \"bert\"}", false};
    hub.files["vocab.txt"] = {"[PAD]\n[UNK]\n[CLS]\n[SEP]\n", false};
    hub.files["tokenizer_config.json"] = {"{}", false};
    hub.files["README.md"] = {"# not needed", false};
    hub.files["model.safetensors"] = {random_bytes(300000, 7), true};
    settings.endpoint = hub.endpoint();
    settings.cache = HubCache(cache_root);
  }
  void TearDown() override { fs::remove_all(cache_root); }

  fs::path download(const std::string& revision = "main", std::vector<std::string> include = {}) {
    return bertcls::hf::download_snapshot(SnapshotRequest{hub.repo, revision, std::move(include)}, settings);
  }
  fs::path repo_dir() const { return cache_root / "models--acme--tiny-bert"; }

  FakeHub hub;
  fs::path cache_root;
  HubSettings settings;
};

TEST_F(HubDownload, WritesTheHuggingfaceHubCacheLayout) {
  fs::path snapshot = download();
  EXPECT_EQ(snapshot, repo_dir() / "snapshots" / hub.commit);
  EXPECT_EQ(read(repo_dir() / "refs" / "main"), hub.commit);  // bare hash, no newline
  std::string lfs_sha = FakeHub::sha256(hub.files["model.safetensors"].content);
  std::string config_id = FakeHub::git_id(hub.files["config.json"].content);
  EXPECT_EQ(fs::read_symlink(snapshot / "model.safetensors"), fs::path("../../blobs") / lfs_sha);
  EXPECT_EQ(fs::read_symlink(snapshot / "config.json"), fs::path("../../blobs") / config_id);
  EXPECT_EQ(read(snapshot / "model.safetensors"), hub.files["model.safetensors"].content);
  EXPECT_EQ(read(snapshot / "vocab.txt"), hub.files["vocab.txt"].content);
  EXPECT_TRUE(fs::exists(snapshot / "tokenizer_config.json"));
  EXPECT_FALSE(fs::exists(snapshot / "README.md")) << "only what a classifier needs by default";
  for (const auto& blob : fs::directory_iterator(repo_dir() / "blobs"))
    EXPECT_NE(blob.path().extension(), ".incomplete");
}

TEST_F(HubDownload, SecondDownloadOfABranchFetchesNoFiles) {
  download();
  int downloads = hub.file_downloads, requests = hub.requests;
  EXPECT_EQ(download(), repo_dir() / "snapshots" / hub.commit);
  EXPECT_EQ(hub.file_downloads, downloads);
  EXPECT_EQ(hub.requests, requests + 1) << "one metadata request to see whether main moved";
}

TEST_F(HubDownload, SecondDownloadOfACommitMakesNoRequestAtAll) {
  download(hub.commit);
  int requests = hub.requests;
  download(hub.commit);
  EXPECT_EQ(hub.requests, requests);
}

TEST_F(HubDownload, ResumesAfterTheConnectionIsCutMidFile) {
  hub.cut_next_downloads = 2;
  fs::path snapshot = download();
  EXPECT_EQ(read(snapshot / "model.safetensors"), hub.files["model.safetensors"].content);
  EXPECT_EQ(hub.file_downloads, 2 /*small files*/ + 1 + 3 /*LFS: two cut, one resumed to the end*/);
}

TEST_F(HubDownload, AnInterruptedRunLeavesNothingInSnapshotsAndTheNextRunResumes) {
  hub.cut_next_downloads = 100;
  EXPECT_THROW(download(), bertcls::Error);
  fs::path snapshot = repo_dir() / "snapshots" / hub.commit;
  EXPECT_FALSE(fs::exists(snapshot / "model.safetensors"));
  std::string lfs_sha = FakeHub::sha256(hub.files["model.safetensors"].content);
  fs::path partial = repo_dir() / "blobs" / (lfs_sha + ".incomplete");
  ASSERT_TRUE(fs::exists(partial));
  uint64_t kept = fs::file_size(partial);
  EXPECT_GT(kept, 0u);

  hub.cut_next_downloads = 0;
  int downloads = hub.file_downloads;
  download();
  EXPECT_EQ(read(snapshot / "model.safetensors"), hub.files["model.safetensors"].content);
  EXPECT_EQ(hub.file_downloads, downloads + 1);
  EXPECT_FALSE(fs::exists(partial));
}

TEST_F(HubDownload, ACorruptedBlobIsRejectedAndNotCached) {
  hub.corrupt_lfs = true;
  try {
    download();
    FAIL() << "expected a checksum error";
  } catch (const bertcls::Error& e) {
    EXPECT_NE(std::string(e.what()).find("checksum mismatch"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("model.safetensors"), std::string::npos) << e.what();
  }
  std::string lfs_sha = FakeHub::sha256(hub.files["model.safetensors"].content);
  EXPECT_FALSE(fs::exists(repo_dir() / "blobs" / lfs_sha));
  EXPECT_FALSE(fs::exists(repo_dir() / "blobs" / (lfs_sha + ".incomplete")));
  EXPECT_FALSE(fs::exists(repo_dir() / "snapshots" / hub.commit / "model.safetensors"));
}

void expect_error(const std::function<void()>& f, std::initializer_list<const char*> needles) {
  try {
    f();
    ADD_FAILURE() << "expected bertcls::Error";
  } catch (const bertcls::Error& e) {
    for (const char* n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
  }
}

TEST_F(HubDownload, AnUnknownRepoSaysNotFoundOrPrivate) {
  hub.repo = "acme/other";  // the hub no longer knows acme/tiny-bert
  expect_error([&] { bertcls::hf::download_snapshot(SnapshotRequest{"acme/tiny-bert", "main", {}}, settings); },
               {"acme/tiny-bert", "not found", "HF_TOKEN", "401"});
}

TEST_F(HubDownload, AGatedRepoSaysToSetHfToken) {
  expect_error([&] { bertcls::hf::download_snapshot(SnapshotRequest{hub.gated_repo, "main", {}}, settings); },
               {"gated", "HF_TOKEN"});
}

TEST_F(HubDownload, AnUnknownRevisionIsNamed) {
  expect_error([&] { download("v9"); }, {"revision", "not found"});
}

TEST_F(HubDownload, TheTokenIsSentAsABearerToken) {
  hub.required_token = "hf_secret";
  expect_error([&] { download(); }, {"HF_TOKEN"});
  settings.token = "hf_secret";
  EXPECT_TRUE(fs::exists(download() / "config.json"));
}

TEST_F(HubDownload, OfflineModeServesTheCacheWithoutRequests) {
  settings.offline = true;
  expect_error([&] { download(); }, {"HF_HUB_OFFLINE", "not in the cache"});
  settings.offline = false;
  fs::path snapshot = download();
  settings.offline = true;
  int requests = hub.requests;
  EXPECT_EQ(download(), snapshot);
  EXPECT_EQ(hub.requests, requests);
}

TEST_F(HubDownload, WithoutNetworkTheErrorSaysHowToWorkOffline) {
  settings.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  expect_error([&] { download(); }, {"cannot reach", "HF_HUB_OFFLINE", "local model folder"});
}

TEST_F(HubDownload, WithoutNetworkACachedSnapshotStillServes) {
  fs::path snapshot = download();
  settings.endpoint = "http://127.0.0.1:1";
  EXPECT_EQ(download(), snapshot);
}

TEST_F(HubDownload, IncludePatternsSelectFiles) {
  fs::path snapshot = download("main", {"*.json", "README.*"});
  EXPECT_TRUE(fs::exists(snapshot / "config.json"));
  EXPECT_TRUE(fs::exists(snapshot / "README.md"));
  EXPECT_FALSE(fs::exists(snapshot / "vocab.txt"));
  EXPECT_FALSE(fs::exists(snapshot / "model.safetensors"));
}

TEST_F(HubDownload, ShardedSafetensorsBringTheirShards) {
  hub.files.erase("model.safetensors");
  hub.files["model.safetensors.index.json"] = {
      R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})",
      false};
  hub.files["model-00001-of-00002.safetensors"] = {random_bytes(1000, 1), true};
  hub.files["model-00002-of-00002.safetensors"] = {random_bytes(1000, 2), true};
  fs::path snapshot = download();
  EXPECT_EQ(read(snapshot / "model-00001-of-00002.safetensors"), hub.files["model-00001-of-00002.safetensors"].content);
  EXPECT_EQ(read(snapshot / "model-00002-of-00002.safetensors"), hub.files["model-00002-of-00002.safetensors"].content);
}

TEST_F(HubDownload, PytorchBinIsTakenWhenNoSafetensorsExist) {
  hub.files.erase("model.safetensors");
  hub.files["pytorch_model.bin"] = {random_bytes(5000, 3), true};
  EXPECT_TRUE(fs::exists(download() / "pytorch_model.bin"));
}

TEST_F(HubDownload, AFolderWithoutWeightsIsNotAModel) {
  hub.files.erase("model.safetensors");
  expect_error([&] { download(); }, {"no model.safetensors"});
}

TEST_F(HubDownload, ResolveModelTakesFoldersAsTheyAreAndNamesThroughTheHub) {
  fs::create_directories(cache_root / "local");
  EXPECT_EQ(bertcls::hf::resolve_model((cache_root / "local").string(), settings), cache_root / "local");
  EXPECT_EQ(bertcls::hf::resolve_model("acme/tiny-bert@" + hub.commit, settings),
            repo_dir() / "snapshots" / hub.commit);
  expect_error([&] { bertcls::hf::resolve_model("./no/such/folder", settings); }, {"no such folder"});
  expect_error([&] { bertcls::hf::resolve_model("bad name!", settings); }, {"neither a folder nor"});
}

TEST_F(HubDownload, TheDownloadCommandPrintsTheSnapshotFolder) {
  std::string env = "HF_ENDPOINT=" + hub.endpoint() + " HF_HUB_CACHE='" + cache_root.string() + "' ";
  auto r = bertcls::test::run_cli_with_env(env, "download acme/tiny-bert");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, (repo_dir() / "snapshots" / hub.commit).string() + "\n");
  EXPECT_NE(r.err.find("downloaded model.safetensors"), std::string::npos) << r.err;

  r = bertcls::test::run_cli_with_env(env, "download acme/missing");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("acme/missing: repository not found"), std::string::npos) << r.err;
}

TEST_F(HubDownload, TrainTakesAHubNameAndUsesTheCachedSnapshot) {
  // The hub serves a real (tiny) model folder; the weights go through the LFS path.
  fs::path folder = bertcls::test::make_tiny_model_folder(cache_root / "published");
  hub.files.clear();
  for (const auto& entry : fs::directory_iterator(folder))
    hub.files[entry.path().filename().string()] = {read(entry.path()), entry.path().extension() == ".safetensors"};
  std::ofstream(cache_root / "train.csv") << "text,label\nхорошо,1\nплохо,0\nотлично,1\nужасно,0\n";
  std::string env = "HF_ENDPOINT=" + hub.endpoint() + " HF_HUB_CACHE='" + (cache_root / "hub").string() + "' ";
  std::string args = "train --model acme/tiny-bert --train '" + (cache_root / "train.csv").string() +
                     "' --valid-split 0 --epochs 1 --batch-size 2 --out '" + (cache_root / "run").string() + "'";
  auto r = bertcls::test::run_cli_with_env(env, args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(cache_root / "run" / "model" / "model.safetensors"));
  EXPECT_TRUE(fs::is_symlink(cache_root / "hub" / "models--acme--tiny-bert" / "snapshots" / hub.commit / "model.safetensors"));
  // Offline, the cached snapshot serves the same name without the hub.
  auto offline = bertcls::test::run_cli_with_env(env + "HF_HUB_OFFLINE=1 ", args);
  EXPECT_EQ(offline.exit_code, 0) << offline.err;
}

TEST(HubCacheLocation, FollowsTheHuggingfaceHubEnvironmentVariables) {
  ::setenv("HF_HUB_CACHE", "/x/hub-cache", 1);
  EXPECT_EQ(HubCache::from_environment().root(), "/x/hub-cache");
  ::unsetenv("HF_HUB_CACHE");
  ::setenv("HF_HOME", "/x/hf-home", 1);
  EXPECT_EQ(HubCache::from_environment().root(), "/x/hf-home/hub");
  ::unsetenv("HF_HOME");
  ::setenv("XDG_CACHE_HOME", "/x/xdg", 1);
  EXPECT_EQ(HubCache::from_environment().root(), "/x/xdg/huggingface/hub");
  ::unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(HubCache::from_environment().root(), fs::path(std::getenv("HOME")) / ".cache/huggingface/hub");
}

TEST(Sha256, MatchesTheStandardTestVectors) {
  auto hex = [](const std::string& s) { return FakeHub::sha256(s); };
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
