// A loopback imitation of the Hugging Face hub's download endpoints, enough for
// huggingface_hub-style clients: the revision API, /resolve/ with the hub's headers
// (X-Repo-Commit, ETag, X-Linked-Etag, X-Linked-Size), LFS files answered by a redirect
// to a CDN path that honours Range, and switches to misbehave (cut a transfer, corrupt
// a blob, demand a token).
#pragma once

#include <httplib.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include "io/sha256.h"

namespace bertcls::test {

class FakeHub {
 public:
  struct File {
    std::string content;
    bool lfs = false;
  };

  std::string commit = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";
  std::string repo = "acme/tiny-bert";
  std::map<std::string, File> files;
  std::string gated_repo = "acme/gated";
  std::string required_token;           // non-empty: every request needs this bearer token
  std::atomic<int> requests{0};
  std::atomic<int> file_downloads{0};   // GETs of file contents
  std::atomic<int> cut_next_downloads{0};  // cut this many transfers after half the bytes
  bool corrupt_lfs = false;             // serve LFS bytes that do not match their sha256

  FakeHub() {
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (!required_token.empty() && req.get_header_value("Authorization") != "Bearer " + required_token) {
        res.status = 401;
        res.set_header("X-Error-Code", "RepoNotFound");
        res.set_content("{\"error\":\"Repository not found\"}", "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server_.Get(R"(/api/models/([^/]+/[^/]+)/revision/(.+))", [this](const auto& req, auto& res) { api(req, res); });
    server_.Get(R"(/([^/]+/[^/]+)/resolve/([^/]+)/(.+))", [this](const auto& req, auto& res) { resolve(req, res); });
    server_.Get(R"(/cdn/([0-9a-f]+))", [this](const auto& req, auto& res) { cdn(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeHub() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  static std::string sha256(const std::string& s) {
    io::Sha256 h;
    h.update(s);
    return h.hex_digest();
  }
  // Regular files are named by their git blob id; any 40-hex id will do here.
  static std::string git_id(const std::string& s) { return sha256("blob " + s).substr(0, 40); }

 private:
  void api(const httplib::Request& req, httplib::Response& res) {
    std::string repo_id = req.matches[1], revision = req.matches[2];
    if (repo_id == gated_repo) return refuse(res, 403, "GatedRepo");
    if (repo_id != repo) return refuse(res, 401, "RepoNotFound");
    if (revision != "main" && revision != commit) return refuse(res, 404, "RevisionNotFound");
    std::string siblings;
    for (const auto& [name, file] : files) siblings += (siblings.empty() ? "" : ",") + ("{\"rfilename\":\"" + name + "\"}");
    res.set_content("{\"id\":\"" + repo + "\",\"sha\":\"" + commit + "\",\"siblings\":[" + siblings + "]}",
                    "application/json");
  }

  void resolve(const httplib::Request& req, httplib::Response& res) {
    std::string repo_id = req.matches[1], revision = req.matches[2], name = req.matches[3];
    if (repo_id != repo) return refuse(res, 401, "RepoNotFound");
    auto it = files.find(name);
    if (it == files.end()) return refuse(res, 404, "EntryNotFound");
    res.set_header("X-Repo-Commit", commit);
    const File& file = it->second;
    if (file.lfs) {
      // As the hub: LFS files redirect to the CDN; the metadata rides on the redirect.
      std::string sha = sha256(file.content);
      res.status = 302;
      res.set_header("Location", endpoint() + "/cdn/" + sha);
      res.set_header("X-Linked-Etag", "\"" + sha + "\"");
      res.set_header("X-Linked-Size", std::to_string(file.content.size()));
      return;
    }
    res.set_header("ETag", "\"" + git_id(file.content) + "\"");
    if (req.method == "GET") ++file_downloads;
    res.set_content(file.content, "application/octet-stream");
  }

  void cdn(const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, file] : files) {
      if (!file.lfs || sha256(file.content) != std::string(req.matches[1])) continue;
      ++file_downloads;
      std::string body = file.content;
      if (corrupt_lfs) body[body.size() / 2] ^= 0x55;
      bool cut = cut_next_downloads > 0;
      if (cut) --cut_next_downloads;
      res.set_content_provider(body.size(), "application/octet-stream",
                               [body, cut](size_t offset, size_t length, httplib::DataSink& sink) {
                                 size_t send = cut ? length / 2 : length;
                                 sink.write(body.data() + offset, send);
                                 return !cut;  // false drops the connection mid-body
                               });
      return;
    }
    res.status = 404;
  }

  static void refuse(httplib::Response& res, int status, const std::string& code) {
    res.status = status;
    res.set_header("X-Error-Code", code);
    res.set_content("{\"error\":\"" + code + "\"}", "application/json");
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace bertcls::test
