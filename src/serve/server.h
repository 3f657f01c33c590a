// bertcls serve: a loaded classifier as an HTTP JSON service.
//   POST /predict  classify, text-embeddings-inference's shape (see predict_request.h)
//   POST /         classify, Hugging Face Inference Endpoints' text-classification shape
//   GET  /health   200 once the model is loaded
//   GET  /info     model, labels, limits, version
//   GET  /metrics  Prometheus text
//   GET  /         a page to try the model by hand
// With an API key, every route but /health answers 401 (with WWW-Authenticate) to a
// request without it. Every client error is a 4xx with {"error", "error_type"}; a full queue is 503 with
// Retry-After. stop() finishes the requests in flight, then returns.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "serve/batcher.h"
#include "serve/metrics.h"
#include "serve/predict_request.h"

namespace httplib {
class Server;
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
  // Non-empty: every route but /health needs "Authorization: Bearer <api_key>" (401 else).
  std::string api_key;
  // Non-empty: answers carry Access-Control-Allow-Origin with it ("*" or an origin) and
  // browsers' OPTIONS preflights are answered, so pages on other origins can call us.
  std::string cors_allow_origin;
  BatcherOptions batcher;
};

class InferenceServer {
 public:
  // `model` is shared with whoever else holds it; the server's workers all run it.
  InferenceServer(std::shared_ptr<const pipeline::ClassifierModel> model, std::string model_name, ServerOptions options);
  ~InferenceServer();

  // Binds the socket; throws Error when the address is taken or invalid. Returns the port.
  int bind();
  // Serves until stop(); call bind() first.
  void serve();
  // Stops accepting, lets in-flight requests finish, then stops the workers.
  void stop();
  int port() const { return port_; }

 private:
  void install_routes();
  // Encodes, queues and answers one request; throws RequestError for the client's faults.
  void classify(const PredictRequest& request, httplib::Response& res);

  std::string model_name_;
  ServerOptions options_;
  std::unique_ptr<Batcher> batcher_;
  Metrics metrics_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

}  // namespace bertcls::serve
