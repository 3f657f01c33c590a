// Servers for tests: an InferenceServer on a free loopback port over a tiny model folder
// (ServeFixture), and `bertcls serve` as a child process (ServeProcess).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/classifier_model.h"
#include "serve/server.h"
#include "support/cli_runner.h"
#include "support/tiny_model.h"

namespace bertcls::test {

class ServeFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_dir = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                          ("bertcls_serve_" + std::to_string(::getpid())));
    make_tiny_model_folder(*model_dir);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*model_dir);
    delete model_dir;
  }

  void start(serve::ServerOptions options = {}) {
    options.port = 0;
    server = std::make_unique<serve::InferenceServer>(pipeline::ClassifierModel::load(model_dir->string()), "tiny", options);
    int port = server->bind();
    thread = std::thread([this] { server->serve(); });
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
    for (int i = 0; i < 100 && !client->Get("/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Stops the server and waits for it: after this no handler or logger runs, so a test
  // can let go of what its log_line captured.
  void stop() {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
  void TearDown() override { stop(); }

  // The metrics of a request are recorded right after its answer is sent, so a client
  // can see its answer a moment before /metrics counts it.
  std::string metrics_containing(const std::string& needle) {
    std::string body;
    for (int i = 0; i < 200; ++i) {
      body = client->Get("/metrics")->body;
      if (body.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return body;
  }

  httplib::Result post(const std::string& body) { return client->Post("/predict", body, "application/json"); }

  // Status and parsed body of a POST to `path`; the body of every answer must be JSON.
  std::pair<int, nlohmann::json> post_json(const std::string& body, const std::string& path = "/predict",
                                           const httplib::Headers& headers = {}) {
    auto r = client->Post(path, headers, body, "application/json");
    EXPECT_TRUE(r) << "no answer";
    if (!r) return {0, {}};
    return {r->status, nlohmann::json::parse(r->body)};
  }

  void expect_client_error(const std::string& body, int status, const std::string& type, const std::string& needle,
                           const std::string& path = "/predict") {
    auto [code, answer] = post_json(body, path);
    EXPECT_EQ(code, status) << body;
    EXPECT_EQ(answer.value("error_type", ""), type) << answer.dump();
    EXPECT_NE(answer.value("error", "").find(needle), std::string::npos) << answer.dump();
  }

  inline static std::filesystem::path* model_dir = nullptr;
  std::unique_ptr<serve::InferenceServer> server;
  std::thread thread;
  std::unique_ptr<httplib::Client> client;
};

// `bertcls serve ARGS… --port 0` in a child process, its stderr in a file.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& log, std::vector<std::string> args) : log_(log) {
    args.insert(args.begin(), {BERTCLS_CLI, "serve"});
    args.insert(args.end(), {"--port", "0"});
    pid_ = fork();
    if (pid_ == 0) {
      freopen(log.c_str(), "w", stderr);
      freopen("/dev/null", "w", stdout);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(BERTCLS_CLI, argv.data());
      _exit(127);
    }
    for (int i = 0; i < 500 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const std::string text = stderr_text();
      const auto at = text.find("http://127.0.0.1:");
      if (at != std::string::npos) port_ = std::atoi(text.c_str() + at + 17);
    }
    if (port_ > 0) {
      httplib::Client client("127.0.0.1", port_);
      for (int i = 0; i < 100 && !client.Get("/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  void signal(int sig) const { kill(pid_, sig); }
  // Waits for the process to end; its exit status as waitpid gives it.
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return status;
  }
  std::string stderr_text() const { return slurp(log_); }
  // Waits up to 10 s for `needle` in stderr; true when it came.
  bool stderr_shows(const std::string& needle) const {
    for (int i = 0; i < 1000; ++i) {
      if (stderr_text().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
};

}  // namespace bertcls::test
