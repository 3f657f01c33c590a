// Headless Chromium driven through chromedriver with the W3C WebDriver protocol (JSON
// over HTTP, https://www.w3.org/TR/webdriver2/), for tests of the pages bertcls serves.
// chromedriver runs in its own process group, so the destructor reaches every browser
// process it started even when a test fails half-way.
#pragma once

#include <httplib.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_runner.h"

namespace bertcls::test {

// The first `name` on PATH, if any.
inline std::optional<std::filesystem::path> find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

// RFC 4648 base64, as WebDriver sends screenshots; throws on a character outside it.
inline std::string base64_decode(const std::string& in) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char* at = std::strchr(alphabet, c);
    if (c == '\0' || !at) throw std::runtime_error("not base64: character " + std::to_string(int(c)));
    bits = (bits << 6) | static_cast<unsigned>(at - alphabet);
    if ((count += 6) >= 8) out.push_back(static_cast<char>((bits >> (count -= 8)) & 0xff));
  }
  return out;
}

class HeadlessChromium {
 public:
  using json = nlohmann::json;

  // Starts chromedriver and a browser session with a fresh profile under work_dir.
  // Throws std::runtime_error (with chromedriver's log) when either fails to start.
  HeadlessChromium(const std::filesystem::path& chromedriver, const std::filesystem::path& chromium,
                   const std::filesystem::path& work_dir)
      : log_(work_dir / "chromedriver.log") {
    // Opened before fork: between fork and exec a child of a threaded process may only
    // make async-signal-safe calls.
    int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot write " + log_.string());
    driver_ = ::fork();
    if (driver_ == 0) {
      ::setpgid(0, 0);
      ::dup2(log_fd, STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
      // --port=0: chromedriver takes a free port and prints it.
      ::execl(chromedriver.c_str(), chromedriver.c_str(), "--port=0", nullptr);
      ::_exit(127);
    }
    ::close(log_fd);
    if (driver_ < 0) throw std::runtime_error("fork failed");
    ::setpgid(driver_, driver_);  // also here: the child may not have run yet
    try {
      start_session(chromium, work_dir);
    } catch (...) {
      stop();  // no destructor runs for a constructor that throws
      throw;
    }
  }

  ~HeadlessChromium() { stop(); }
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  void navigate(const std::string& url) { session_command("POST", "/url", {{"url", url}}); }

  // Element ids of what matches a CSS selector, in document order.
  std::vector<std::string> find_all(const std::string& css) {
    std::vector<std::string> ids;
    for (const auto& e : session_command("POST", "/elements", {{"using", "css selector"}, {"value", css}}))
      ids.push_back(e.begin().value().get<std::string>());  // {"element-6066-...": id}
    return ids;
  }
  std::string find(const std::string& css) {
    auto ids = find_all(css);
    if (ids.empty()) throw std::runtime_error("no element matches " + css);
    return ids.front();
  }

  void type(const std::string& element, const std::string& text) {
    session_command("POST", "/element/" + element + "/value", {{"text", text}});
  }
  void clear(const std::string& element) { session_command("POST", "/element/" + element + "/clear", json::object()); }
  void click(const std::string& element) { session_command("POST", "/element/" + element + "/click", json::object()); }
  std::string text(const std::string& element) { return session_command("GET", "/element/" + element + "/text"); }
  std::string attribute(const std::string& element, const std::string& name) {
    json value = session_command("GET", "/element/" + element + "/attribute/" + name);
    return value.is_null() ? "" : value.get<std::string>();
  }
  // The viewport as PNG bytes.
  std::string screenshot_png() { return base64_decode(session_command("GET", "/screenshot")); }

 private:
  void start_session(const std::filesystem::path& chromium, const std::filesystem::path& work_dir) {
    int port = wait_for_port();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    http_->set_connection_timeout(5);
    http_->set_read_timeout(30);  // session start launches the browser
    // No network is reachable where tests run; Chromium's background fetches (updates,
    // sync, field trials) and QUIC probes would then stall or fail its start.
    json args = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=900,600",
                 "--user-data-dir=" + (work_dir / "profile").string()};
    json caps = {{"capabilities",
                  {{"alwaysMatch",
                    {{"browserName", "chrome"},
                     {"goog:chromeOptions", {{"binary", chromium.string()}, {"args", args}}}}}}}};
    session_ = command("POST", "/session", caps)["sessionId"].get<std::string>();
    http_->set_read_timeout(10);
  }

  void stop() {
    if (!session_.empty()) {
      try {
        command("DELETE", "/session/" + session_);
      } catch (const std::exception&) {
        // The group kill below ends the browser anyway.
      }
    }
    ::kill(-driver_, SIGTERM);
    ::waitpid(driver_, nullptr, 0);
    ::kill(-driver_, SIGKILL);  // browser processes that outlived chromedriver
    session_.clear();
  }

  int wait_for_port() {
    const std::string marker = "started successfully on port ";
    for (int i = 0; i < 500; ++i) {
      std::string log = slurp(log_);
      if (auto at = log.find(marker); at != std::string::npos) return std::atoi(log.c_str() + at + marker.size());
      if (::waitpid(driver_, nullptr, WNOHANG) == driver_) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("chromedriver did not start: " + slurp(log_));
  }

  json session_command(const std::string& method, const std::string& path, const json& body = nullptr) {
    return command(method, "/session/" + session_ + path, body);
  }

  // One WebDriver command; returns its "value", throws with WebDriver's error otherwise.
  json command(const std::string& method, const std::string& path, const json& body = nullptr) {
    httplib::Result r = method == "GET"    ? http_->Get(path)
                        : method == "POST" ? http_->Post(path, body.dump(), "application/json")
                                           : http_->Delete(path);
    if (!r) throw std::runtime_error(method + " " + path + ": no answer from chromedriver (" + slurp(log_) + ")");
    json answer = json::parse(r->body);
    if (r->status != 200)
      throw std::runtime_error(method + " " + path + ": " + answer["value"].value("error", "") + ": " +
                               answer["value"].value("message", ""));
    return answer["value"];
  }

  std::filesystem::path log_;
  pid_t driver_ = -1;
  std::unique_ptr<httplib::Client> http_;
  std::string session_;
};

}  // namespace bertcls::test
