// bertcls serve: a loaded classifier as an HTTP JSON service.
//   POST /predict       classify, text-embeddings-inference's shape (see predict_request.h)
//   POST /              classify, Hugging Face Inference Endpoints' text-classification shape
//   POST /tokenize      tokens with byte offsets, TEI's shape (see tokenize_request.h)
//   POST /decode        token ids back to text, TEI's shape
//   POST /admin/reload  load the model folder again, or {"model": DIR}, and switch to it
//                       (only on a server with an API key; SIGHUP does it without one)
//   GET  /health        200 once the model is loaded
//   GET  /info          model (name, folder, sha256 of its weights, load time), labels, limits
//   GET  /metrics       Prometheus text
//   GET  /openapi.json  the OpenAPI 3 description of all of this
//   GET  /docs          that description as a page (no external resources)
//   GET  /              a page to try the model by hand
// With an API key, every route answers 401 (with WWW-Authenticate) to a request without
// it, except /health and the three static GET routes (/, /docs, /openapi.json: a browser
// cannot send a key when it opens a page; the pages ask for it and send it themselves).
// Every answer carries x-request-id (the client's, when it sent a usable one). Classify
// answers carry TEI's timing headers (x-compute-time, x-queue-time, …). Every client error
// is a 4xx with {"error", "error_type"}; a full queue is 503 with Retry-After. stop()
// finishes the requests in flight, then returns.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "serve/access_log.h"
#include "serve/batcher.h"
#include "serve/live_model.h"
#include "serve/metrics.h"
#include "serve/predict_request.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}

namespace bertcls::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see port())
  size_t max_body_bytes = 1 << 20;
  int max_inputs = 64;
  int timeout_ms = 10000;
  // httplib gives each connection a thread until it closes, idle keep-alive time (5 s)
  // included: with 8, eight idle browser connections stalled every other client for 5 s.
  int http_threads = 64;
  int read_timeout_s = 5;  // a client that stalls mid-request this long is dropped
  // Non-empty: routes need "Authorization: Bearer <api_key>" (401 else; see above).
  std::string api_key;
  // Non-empty: answers carry Access-Control-Allow-Origin with it ("*" or an origin) and
  // browsers' OPTIONS preflights are answered, so pages on other origins can call us.
  std::string cors_allow_origin;
  // One access-log line per request (access_log.h), handed to `log_line` (default: stdout).
  LogFormat log_format = LogFormat::Off;
  std::function<void(const std::string& line)> log_line;
  BatcherOptions batcher;
};

class InferenceServer {
 public:
  // `model` is shared with whoever else holds it; the server's workers all run it.
  // `model_name` is what /info calls it; `load_seconds` what loading it took.
  InferenceServer(std::shared_ptr<const pipeline::ClassifierModel> model, std::string model_name, ServerOptions options,
                  double load_seconds = 0);
  ~InferenceServer();

  // Binds the socket; throws Error when the address is taken or invalid. Returns the port.
  int bind();
  // Serves until stop(); call bind() first. Returns once the requests in flight are
  // answered and the workers have stopped.
  void serve();
  // Stops accepting; serve() then finishes what is in flight. Safe from any thread.
  void stop();
  int port() const { return port_; }

  // Loads `source` (default: the current model's folder again) beside the running model,
  // checks it and sends new requests to it (see live_model.h). Throws Error, still serving
  // the current model, when it cannot. Safe while serving.
  std::shared_ptr<const ServedModel> reload(const std::optional<std::string>& source = std::nullopt);
  std::shared_ptr<const ServedModel> model() const { return model_.current(); }

 private:
  void install_guards();
  void install_routes();
  void install_not_allowed();
  void log(const httplib::Request& req, const httplib::Response& res);
  // Encodes, queues and answers one request; throws RequestError for the client's faults.
  void classify(const PredictRequest& request, httplib::Response& res);
  std::string info() const;

  ServerOptions options_;
  LiveModel model_;
  std::unique_ptr<Batcher> batcher_;
  Metrics metrics_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

}  // namespace bertcls::serve
