#include "serve/server.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include <bertcls/error.h>
#include <bertcls/version.h>
#include "serve/api_key.h"
#include "serve/index_page.h"
#include "serve/predict_request.h"

namespace bertcls::serve {
namespace {

// httplib runs pre-routing, the handler and the logger of a request on one thread.
thread_local std::chrono::steady_clock::time_point request_started;

void send_error(httplib::Response& res, int status, const std::string& type, const std::string& message) {
  res.status = status;
  res.set_content(error_body(message, type), "application/json");
}

}  // namespace

InferenceServer::InferenceServer(std::shared_ptr<const pipeline::ClassifierModel> model, std::string model_name,
                                 ServerOptions options)
    : model_name_(std::move(model_name)), options_(std::move(options)) {
  batcher_ = std::make_unique<Batcher>(std::move(model), options_.batcher,
                                       BatchObserver{[this](int texts) { metrics_.record_batch(texts); }});
  http_ = std::make_unique<httplib::Server>();
  http_->new_task_queue = [n = options_.http_threads] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout_s, 0);
  http_->set_write_timeout(options_.read_timeout_s, 0);
  // httplib sends a response's headers and body in separate writes; with Nagle on, the
  // body waits for the client's delayed ACK of the headers: 40 ms on every request but a
  // connection's first (measured with wrk on keep-alive connections: 26 ms mean on /health).
  http_->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a port a live one
  // holds and take half its connections; SO_REUSEADDR alone still allows a quick restart.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  install_routes();
}

InferenceServer::~InferenceServer() { stop(); }

void InferenceServer::install_routes() {
  using Clock = std::chrono::steady_clock;
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = Clock::now();
    if (!options_.cors_allow_origin.empty()) {
      // Set first, so every answer carries it, 401s included (a page can then read why).
      res.set_header("Access-Control-Allow-Origin", options_.cors_allow_origin);
      if (options_.cors_allow_origin != "*") res.set_header("Vary", "Origin");
      // A browser's preflight carries no credentials: it is answered before the key check.
      if (req.method == "OPTIONS") {
        res.status = 204;
        res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.set_header("Access-Control-Max-Age", "600");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (options_.api_key.empty() || req.path == "/health" ||
        bearer_matches(req.get_header_value("Authorization"), options_.api_key))
      return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", "Bearer realm=\"bertcls\"");
    send_error(res, 401, "unauthorized",
               req.has_header("Authorization") ? "the API key is wrong" : "this server needs an API key: send \"Authorization: Bearer KEY\"");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Answers httplib produces itself (404, 413 for a body over the limit, 400 for a
  // malformed request) get the same JSON error shape as ours.
  http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      send_error(res, 413, "payload_too_large", "the request body is larger than the server's --max-body-bytes");
    else if (res.status == 404)
      send_error(res, 404, "not_found", "no such endpoint: " + req.method + " " + req.path);
    else
      send_error(res, res.status, "bad_request", "the request could not be read");
  });
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "backend", "internal error");
  });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double seconds = std::chrono::duration<double>(Clock::now() - request_started).count();
    bool known = req.path == "/predict" || req.path == "/health" || req.path == "/info" || req.path == "/metrics" ||
                 req.path == "/";
    metrics_.record_request(known ? req.path : "other", res.status, seconds);
  });

  http_->Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  http_->Get("/info", [this](const httplib::Request&, httplib::Response& res) {
    const auto& clf = batcher_->model();
    nlohmann::ordered_json info = {
        {"model_id", model_name_},
        {"labels", clf.labels()},
        {"max_input_length", clf.encoder().max_length()},
        {"long_texts", clf.encoder().options().long_texts == LongTexts::Chunk ? "chunk" : "truncate"},
        {"max_batch_size", options_.batcher.max_batch_size},
        {"max_wait_ms", options_.batcher.max_wait_ms},
        {"max_queued_texts", options_.batcher.max_queued_texts},
        {"max_inputs", options_.max_inputs},
        {"max_body_bytes", options_.max_body_bytes},
        {"timeout_ms", options_.timeout_ms},
        {"workers", options_.batcher.workers},
        {"version", version()}};
    res.set_content(info.dump(), "application/json");
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.prometheus_text(batcher_->queued_texts()), "text/plain; version=0.0.4");
  });
  http_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kIndexPage, "text/html; charset=utf-8");
  });
  auto route = [this](PredictRequest (*parse)(std::string_view, int)) {
    return [this, parse](const httplib::Request& req, httplib::Response& res) {
      try {
        classify(parse(req.body, options_.max_inputs), res);
      } catch (const RequestError& e) {
        send_error(res, e.status, e.type, e.what());
      }
    };
  };
  http_->Post("/predict", route(parse_predict_request));
  http_->Post("/", route(parse_pipeline_request));
  for (const char* path : {"/predict", "/health", "/info", "/metrics", "/"}) {
    auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
      send_error(res, 405, "method_not_allowed", req.method + " is not allowed on " + req.path);
    };
    if (std::string(path) == "/predict") http_->Get(path, not_allowed);
    else if (std::string(path) != "/") http_->Post(path, not_allowed);
    http_->Put(path, not_allowed);
    http_->Delete(path, not_allowed);
  }
}

void InferenceServer::classify(const PredictRequest& request, httplib::Response& res) {
  // A server that chunks long texts chunks them whatever the request says; otherwise
  // a long text is cut only when the request allows it, as TEI does.
  const pipeline::TextEncoder& encoder = batcher_->model().encoder();
  const LongTexts mode = encoder.options().long_texts == LongTexts::Chunk ? LongTexts::Chunk
                         : request.truncate                              ? LongTexts::Truncate
                                                                         : LongTexts::Reject;
  train::EncodedExamples texts;
  try {
    texts = encoder.encode(request.inputs, [](size_t i) { return "input " + std::to_string(i); }, mode);
  } catch (const Error& e) {
    const char* hint = request.pipeline_shape ? " (send \"parameters\": {\"truncation\": true} to cut it)"
                                              : " (send \"truncate\": true to cut it)";
    throw RequestError(413, "validation", e.what() + std::string(hint));
  }
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  std::future<std::vector<Prediction>> future;
  try {
    future = batcher_->submit(std::move(texts), cancelled);
  } catch (const QueueFull&) {
    res.set_header("Retry-After", "1");
    throw RequestError(503, "overloaded", "the server is busy: too many texts queued, retry later");
  }
  if (future.wait_for(std::chrono::milliseconds(options_.timeout_ms)) != std::future_status::ready) {
    *cancelled = true;
    res.set_header("Retry-After", "1");
    throw RequestError(503, "timeout", "no answer within --timeout-ms " + std::to_string(options_.timeout_ms));
  }
  res.set_content(predict_response(request, future.get(), batcher_->model().labels()), "application/json");
}

int InferenceServer::bind() {
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
  } else {
    port_ = http_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ < 0)
    throw Error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                " (address in use, or not an address of this machine)");
  return port_;
}

void InferenceServer::serve() { http_->listen_after_bind(); }

void InferenceServer::stop() {
  if (http_) http_->stop();
  if (batcher_) batcher_->stop();
}

}  // namespace bertcls::serve
