// Live model swap: POST /admin/reload and SIGHUP load a folder beside the running model,
// switch new requests to it, refuse a broken one, and lose no request while they do.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "io/sha256.h"
#include "support/serve_fixture.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class ServeReload : public bertcls::test::ServeFixture {
 protected:
  void SetUp() override {
    other_dir = fs::temp_directory_path() / ("bertcls_serve_other_" + std::to_string(::getpid()));
    bertcls::test::make_tiny_model_folder(other_dir, {"sad", "happy"});
    broken_dir = fs::temp_directory_path() / ("bertcls_serve_broken_" + std::to_string(::getpid()));
    fs::copy(other_dir, broken_dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    fs::resize_file(broken_dir / "model.safetensors", fs::file_size(broken_dir / "model.safetensors") / 2);
  }
  void TearDown() override {
    ServeFixture::TearDown();
    fs::remove_all(other_dir);
    fs::remove_all(broken_dir);
  }
  void start_with_key() {
    bertcls::serve::ServerOptions options;
    options.api_key = "k";
    start(options);
  }
  httplib::Result reload(const std::string& body) { return client->Post("/admin/reload", key, body, "application/json"); }
  json info() { return json::parse(client->Get("/info", key)->body); }
  std::set<std::string> labels_answered() {
    auto r = client->Post("/predict", key, R"({"inputs": "привет"})", "application/json");
    std::set<std::string> labels;
    for (const auto& entry : json::parse(r->body)) labels.insert(entry["label"].get<std::string>());
    return labels;
  }

  fs::path other_dir, broken_dir;
  const httplib::Headers key{{"Authorization", "Bearer k"}};
};

TEST_F(ServeReload, InfoNamesTheFolderAndTheSha256OfItsWeights) {
  start_with_key();
  const json i = info();
  EXPECT_EQ(i["model_path"], model_dir->string());
  EXPECT_EQ(i["model_sha256"], bertcls::io::sha256_file(*model_dir / "model.safetensors"));
  EXPECT_TRUE(i["loaded_at"].get<std::string>().size() == 24 && i["loaded_at"].get<std::string>().back() == 'Z');
}

TEST_F(ServeReload, ReloadSwitchesNewRequestsToTheNewFolder) {
  start_with_key();
  EXPECT_EQ(labels_answered(), (std::set<std::string>{"negative", "positive"}));
  auto r = reload(json{{"model", other_dir.string()}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["model_path"], other_dir.string());
  EXPECT_EQ(info()["model_sha256"], bertcls::io::sha256_file(other_dir / "model.safetensors"));
  EXPECT_EQ(info()["labels"], json({"sad", "happy"}));
  EXPECT_EQ(labels_answered(), (std::set<std::string>{"sad", "happy"}));
  // No body: the current folder again (a retrained model written over it).
  auto again = reload("");
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(info()["model_path"], other_dir.string());
  EXPECT_GE(info()["load_seconds"].get<double>(), 0.0);
}

TEST_F(ServeReload, ABrokenFolderIsRefusedAndTheOldModelKeepsServing) {
  start_with_key();
  const std::string sha = info()["model_sha256"];
  for (const std::string& source : {broken_dir.string(), std::string("/no/such/model")}) {
    auto r = reload(json{{"model", source}}.dump());
    ASSERT_EQ(r->status, 422) << source;
    const json error = json::parse(r->body);
    EXPECT_EQ(error["error_type"], "reload_failed");
    EXPECT_NE(error["error"].get<std::string>().find("still serving tiny"), std::string::npos) << error;
    EXPECT_NE(error["error"].get<std::string>().find(source), std::string::npos) << "names the folder: " << error;
    EXPECT_EQ(info()["model_sha256"], sha);
    EXPECT_EQ(labels_answered(), (std::set<std::string>{"negative", "positive"}));
  }
  auto bad_body = reload(R"({"model": 5})");
  EXPECT_EQ(bad_body->status, 422);
  EXPECT_EQ(json::parse(bad_body->body)["error_type"], "validation");
}

TEST_F(ServeReload, WithoutAKeyReloadIsOnlyBySignal) {
  start();
  auto r = client->Post("/admin/reload", "", "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(json::parse(r->body)["error"].get<std::string>().find("SIGHUP"), std::string::npos);
}

TEST_F(ServeReload, SwapsUnderLoadLoseNoRequest) {
  bertcls::serve::ServerOptions options;
  options.api_key = "k";
  options.batcher.workers = 2;
  start(options);
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0}, mixed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      httplib::Client local("127.0.0.1", server->port());
      local.set_keep_alive(true);
      while (!done) {
        auto r = local.Post("/predict", key, R"({"inputs": ["хорошо", "плохо", "ну такое"]})", "application/json");
        if (!r || r->status != 200) {
          ++failed;
          continue;
        }
        ++answered;
        // All three texts of a request ran on one model.
        std::set<std::string> labels;
        for (const auto& text : json::parse(r->body))
          for (const auto& entry : text) labels.insert(entry["label"].get<std::string>());
        if (labels != std::set<std::string>{"negative", "positive"} && labels != std::set<std::string>{"sad", "happy"})
          ++mixed;
      }
    });
  }
  for (int swap = 0; swap < 6; ++swap) {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    auto r = reload(json{{"model", (swap % 2 ? *model_dir : other_dir).string()}}.dump());
    EXPECT_EQ(r->status, 200) << r->body;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(mixed, 0);
  EXPECT_GT(answered, 20);
  EXPECT_EQ(info()["model_path"], model_dir->string());
}

TEST(ServeCommand, SighupReloadsTheFolderAndRefusesABrokenOne) {
  const fs::path dir = fs::temp_directory_path() / ("bertcls_serve_hup_" + std::to_string(::getpid()));
  bertcls::test::make_tiny_model_folder(dir);
  const fs::path log = dir.string() + ".stderr.txt";  // outside the folder, which gets replaced
  bertcls::test::ServeProcess serve(log, {"--model", dir.string()});
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  // A retrained model written over the folder: new labels, and SIGHUP picks it up.
  bertcls::test::make_tiny_model_folder(dir, {"sad", "happy"});
  serve.signal(SIGHUP);
  ASSERT_TRUE(serve.stderr_shows("Hangup: now serving " + dir.string())) << serve.stderr_text();
  httplib::Client client("127.0.0.1", serve.port());
  EXPECT_NE(client.Get("/info")->body.find("\"happy\""), std::string::npos);
  fs::resize_file(dir / "model.safetensors", 100);
  serve.signal(SIGHUP);
  ASSERT_TRUE(serve.stderr_shows("reload refused, still serving")) << serve.stderr_text();
  auto r = client.Post("/predict", R"({"inputs": "привет"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("happy"), std::string::npos);
  serve.signal(SIGTERM);
  const int status = serve.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << serve.stderr_text();
  fs::remove_all(dir);
  fs::remove(log);
}

}  // namespace
