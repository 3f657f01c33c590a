#include "serve/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include <bertcls/error.h>
#include <bertcls/version.h>
#include "common/utf8.h"
#include "serve/api_key.h"
#include "serve/docs_page.h"
#include "serve/index_page.h"
#include "serve/openapi.h"
#include "serve/tokenize_request.h"

namespace bertcls::serve {
namespace {

using Clock = std::chrono::steady_clock;

struct Route {
  const char* method;
  const char* path;
  bool open;  // answered without the API key
};

// Every route the server answers; the rest of the methods on these paths get 405.
constexpr Route kRoutes[] = {
    {"POST", "/predict", false},      {"POST", "/", false},         {"POST", "/tokenize", false},
    {"POST", "/decode", false},       {"POST", "/admin/reload", false}, {"GET", "/health", true},
    {"GET", "/info", false},          {"GET", "/metrics", false},   {"GET", "/openapi.json", true},
    {"GET", "/docs", true},           {"GET", "/", true},
};

const Route* route_of(const std::string& method, const std::string& path) {
  for (const Route& r : kRoutes)
    if (method == r.method && path == r.path) return &r;
  return nullptr;
}

bool known_path(const std::string& path) {
  for (const Route& r : kRoutes)
    if (path == r.path) return true;
  return false;
}

// What one request did, for its access-log line. httplib runs pre-routing, the handler
// and the logger of a request on one thread, so a thread-local carries it between them.
struct RequestContext {
  Clock::time_point started;
  std::string id;
  int texts = 0;
  long tokens = 0;
  double queue_ms = 0, inference_ms = 0;
};
thread_local RequestContext context;

// A client's x-request-id is echoed when it is short and plain (it ends up in logs);
// otherwise the request gets a random one.
bool usable_request_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-_.:/+=").find(c) == std::string_view::npos)
      return false;
  return true;
}

std::string new_request_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return id;
}

void send_error(httplib::Response& res, int status, const std::string& type, const std::string& message) {
  res.status = status;
  res.set_content(error_body(message, type), "application/json");
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::string whole_ms(double ms) { return std::to_string(static_cast<long long>(ms)); }

void write_stdout(const std::string& line) {
  const std::string with_newline = line + "\n";
  std::fwrite(with_newline.data(), 1, with_newline.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

InferenceServer::InferenceServer(std::shared_ptr<const pipeline::ClassifierModel> model, std::string model_name,
                                 ServerOptions options, double load_seconds)
    : options_(std::move(options)), model_(std::move(model), std::move(model_name), load_seconds) {
  if (!options_.log_line) options_.log_line = write_stdout;
  batcher_ = std::make_unique<Batcher>(options_.batcher, BatchObserver{[this](int texts) { metrics_.record_batch(texts); }});
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
  install_guards();
  install_routes();
  install_not_allowed();
}

InferenceServer::~InferenceServer() {
  stop();
  batcher_->stop();
}

void InferenceServer::install_guards() {
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    context = RequestContext{};
    context.started = Clock::now();
    const std::string client_id = req.get_header_value("x-request-id");
    context.id = usable_request_id(client_id) ? client_id : new_request_id();
    res.set_header("x-request-id", context.id);
    if (!options_.cors_allow_origin.empty()) {
      // Set first, so every answer carries it, 401s included (a page can then read why).
      res.set_header("Access-Control-Allow-Origin", options_.cors_allow_origin);
      res.set_header("Access-Control-Expose-Headers", "x-request-id, x-compute-time, x-compute-tokens, x-queue-time, "
                                                      "x-inference-time, x-total-time");
      if (options_.cors_allow_origin != "*") res.set_header("Vary", "Origin");
      // A browser's preflight carries no credentials: it is answered before the key check.
      if (req.method == "OPTIONS") {
        res.status = 204;
        res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, x-request-id");
        res.set_header("Access-Control-Max-Age", "600");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    const Route* route = route_of(req.method, req.path);
    if (options_.api_key.empty() || req.path == "/health" || (route && route->open) ||
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
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });
}

void InferenceServer::log(const httplib::Request& req, const httplib::Response& res) {
  // A request httplib could not parse never reached pre-routing: its context is empty.
  if (context.id.empty()) context = RequestContext{Clock::now(), new_request_id()};
  const double total_ms = ms_since(context.started);
  metrics_.record_request(known_path(req.path) ? req.path : "other", res.status, total_ms / 1000);
  if (options_.log_format != LogFormat::Off) {
    AccessRecord record{context.id, req.method, req.path, res.status, context.texts, context.tokens,
                        context.queue_ms, context.inference_ms, total_ms};
    options_.log_line(access_line(record, options_.log_format));
  }
  context = RequestContext{};
}

void InferenceServer::install_routes() {
  http_->Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  http_->Get("/info", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(info(), "application/json");
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.prometheus_text(batcher_->queued_texts()), "text/plain; version=0.0.4");
  });
  http_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kIndexPage, "text/html; charset=utf-8");
  });
  http_->Get("/docs", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kDocsPage, "text/html; charset=utf-8");
  });
  http_->Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApi, "application/json");
  });
  // Handlers that read a body: a RequestError becomes its 4xx.
  auto answering = [](auto handle) {
    return [handle](const httplib::Request& req, httplib::Response& res) {
      try {
        handle(req, res);
      } catch (const RequestError& e) {
        send_error(res, e.status, e.type, e.what());
      }
    };
  };
  auto classifying = [this, answering](PredictRequest (*parse)(std::string_view, int)) {
    return answering([this, parse](const httplib::Request& req, httplib::Response& res) {
      classify(parse(req.body, options_.max_inputs), res);
    });
  };
  http_->Post("/predict", classifying(parse_predict_request));
  http_->Post("/", classifying(parse_pipeline_request));
  http_->Post("/tokenize", answering([this](const httplib::Request& req, httplib::Response& res) {
    const auto request = parse_tokenize_request(req.body, options_.max_inputs);
    res.set_content(tokenize_response(model()->model->encoder().untruncated_tokenizer(), request), "application/json");
  }));
  http_->Post("/decode", answering([this](const httplib::Request& req, httplib::Response& res) {
    const auto request = parse_decode_request(req.body, options_.max_inputs);
    res.set_content(decode_response(model()->model->encoder().tokenizer(), request), "application/json");
  }));
  http_->Post("/admin/reload", answering([this](const httplib::Request& req, httplib::Response& res) {
    if (options_.api_key.empty())
      throw RequestError(403, "forbidden",
                         "reloading over HTTP needs a server started with --api-key; send the process SIGHUP instead");
    std::optional<std::string> source;
    if (!req.body.empty()) {
      const nlohmann::json doc = parse_object(req.body, {"model"});
      if (doc.contains("model") && !doc["model"].is_null()) {
        if (!doc["model"].is_string() || doc["model"].get<std::string>().empty())
          invalid("\"model\" must be a model folder or hub name");
        source = doc["model"].get<std::string>();
      }
    }
    try {
      reload(source);
    } catch (const Error& e) {
      throw RequestError(422, "reload_failed", e.what());
    }
    res.set_content(info(), "application/json");
  }));
}

void InferenceServer::install_not_allowed() {
  auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    std::string allow;
    for (const Route& r : kRoutes)
      if (req.path == r.path) allow += (allow.empty() ? "" : ", ") + std::string(r.method);
    res.set_header("Allow", allow);
    send_error(res, 405, "method_not_allowed", req.method + " is not allowed on " + req.path);
  };
  for (const Route& r : kRoutes) {
    const std::string path = r.path;
    if (!route_of("GET", path)) http_->Get(path, not_allowed);
    if (!route_of("POST", path)) http_->Post(path, not_allowed);
    http_->Put(path, not_allowed);
    http_->Delete(path, not_allowed);
    http_->Patch(path, not_allowed);
  }
}

std::string InferenceServer::info() const {
  const auto served = model();
  const pipeline::ClassifierModel& clf = *served->model;
  nlohmann::ordered_json info = {
      {"model_id", served->name},
      {"model_path", clf.dir().string()},
      {"model_sha256", served->weights_sha256},
      {"loaded_at", served->loaded_at},
      {"load_seconds", served->load_seconds},
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
  return info.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::shared_ptr<const ServedModel> InferenceServer::reload(const std::optional<std::string>& source) {
  return model_.reload(source);
}

void InferenceServer::classify(const PredictRequest& request, httplib::Response& res) {
  // The request runs on the model current when it starts, even if a reload lands meanwhile.
  const std::shared_ptr<const ServedModel> served = model();
  // A server that chunks long texts chunks them whatever the request says; otherwise
  // a long text is cut only when the request allows it, as TEI does.
  const pipeline::TextEncoder& encoder = served->model->encoder();
  const LongTexts mode = encoder.options().long_texts == LongTexts::Chunk ? LongTexts::Chunk
                         : request.truncate                              ? LongTexts::Truncate
                                                                         : LongTexts::Reject;
  const auto tokenizing = Clock::now();
  train::EncodedExamples texts;
  try {
    texts = encoder.encode(request.inputs, [](size_t i) { return "input " + std::to_string(i); }, mode);
  } catch (const Error& e) {
    const char* hint = request.pipeline_shape ? " (send \"parameters\": {\"truncation\": true} to cut it)"
                                              : " (send \"truncate\": true to cut it)";
    throw RequestError(413, "validation", e.what() + std::string(hint));
  }
  const double tokenization_ms = ms_since(tokenizing);
  context.texts = static_cast<int>(request.inputs.size());
  context.tokens = static_cast<long>(texts.ids.size());
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  std::future<BatchAnswer> future;
  try {
    future = batcher_->submit(served->model, std::move(texts), cancelled);
  } catch (const QueueFull&) {
    res.set_header("Retry-After", "1");
    throw RequestError(503, "overloaded", "the server is busy: too many texts queued, retry later");
  }
  if (future.wait_for(std::chrono::milliseconds(options_.timeout_ms)) != std::future_status::ready) {
    *cancelled = true;
    res.set_header("Retry-After", "1");
    throw RequestError(503, "timeout", "no answer within --timeout-ms " + std::to_string(options_.timeout_ms));
  }
  const BatchAnswer answer = future.get();
  context.queue_ms = answer.queue_seconds * 1000;
  context.inference_ms = answer.inference_seconds * 1000;
  size_t characters = 0;
  for (const TextInput& input : request.inputs)
    characters += count_code_points(input.text) + (input.pair ? count_code_points(*input.pair) : 0);
  const std::string total = whole_ms(ms_since(context.started));
  // text-embeddings-inference's headers, in whole milliseconds as it sends them.
  res.set_header("x-compute-type", "cpu");
  res.set_header("x-compute-time", total);
  res.set_header("x-total-time", total);
  res.set_header("x-compute-characters", std::to_string(characters));
  res.set_header("x-compute-tokens", std::to_string(context.tokens));
  res.set_header("x-tokenization-time", whole_ms(tokenization_ms));
  res.set_header("x-queue-time", whole_ms(context.queue_ms));
  res.set_header("x-inference-time", whole_ms(context.inference_ms));
  res.set_content(predict_response(request, answer.predictions, served->model->labels()), "application/json");
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

void InferenceServer::serve() {
  http_->listen_after_bind();
  // Only now is every connection closed: a request whose body was still arriving when
  // stop() came has been queued and must be answered, so the workers stop last.
  batcher_->stop();
}

void InferenceServer::stop() { http_->stop(); }

}  // namespace bertcls::serve
