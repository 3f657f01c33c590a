// bertcls serve: the model as an HTTP service until SIGTERM or Ctrl-C.
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "pipeline/classifier_model.h"
#include "serve/api_key.h"
#include "serve/serve_until_signal.h"

namespace bertcls::cli {
namespace {

struct ServeCommandOptions {
  std::string model;
  TextFlags text;
  InferenceFlags inference;
  std::string api_key_file;
  serve::ServerOptions server;
};

void run_serve(const ServeCommandOptions& o, const CLI::App& cmd) {
  serve::ServerSignals signals;  // before any thread starts
  serve::ServerOptions options = o.server;
  options.api_key = serve::resolve_api_key(o.server.api_key, o.api_key_file);
  if (options.api_key.empty() && o.server.host != "127.0.0.1" && o.server.host != "localhost" && o.server.host != "::1")
    std::fprintf(stderr, "bertcls: warning: listening on %s without --api-key: anyone who reaches the port can use it\n",
                 o.server.host.c_str());
  const auto loading = std::chrono::steady_clock::now();
  auto model = pipeline::ClassifierModel::load(o.model, o.text.resolved(cmd), o.inference.options);
  model->warm_up();  // the first requests would otherwise build the kernels for their shapes
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loading).count();
  for (const auto& w : model->warnings()) std::fprintf(stderr, "bertcls: warning: %s\n", w.c_str());
  serve::InferenceServer server(std::move(model), o.model, options, load_seconds);
  const int port = server.bind();
  std::fprintf(stderr,
               "bertcls: serving %s on http://%s:%d (POST / /predict /tokenize /decode, GET /health /info /metrics "
               "/docs /); SIGHUP reloads the model\n",
               o.model.c_str(), o.server.host.c_str(), port);
  signals.serve_until_signal(server, [](const std::string& what) { std::fprintf(stderr, "bertcls: %s\n", what.c_str()); });
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeCommandOptions>();
  auto& s = o->server;
  s.log_format = serve::LogFormat::Text;
  CLI::App* cmd = app.add_subcommand("serve", "Serve a model over HTTP (JSON) with dynamic batching");
  cmd->add_option("--model", o->model, "Model folder, or a hub name ORG/NAME")->required();
  o->text.add_to(cmd, 0);
  o->inference.add_to(cmd);
  cmd->add_option("--host", s.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--api-key", s.api_key, "Require \"Authorization: Bearer KEY\" on every route but /health")
      ->envname("BERTCLS_API_KEY");
  cmd->add_option("--cors-allow-origin", s.cors_allow_origin,
                  "Let pages from this origin (or '*') call the server from a browser (default: none)");
  cmd->add_option("--log-format", s.log_format, "One access-log line per request on stdout: off, text or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, serve::LogFormat>{
              {"off", serve::LogFormat::Off}, {"text", serve::LogFormat::Text}, {"json", serve::LogFormat::Json}},
          CLI::ignore_case))
      ->default_str("text");
  cmd->add_option("--api-key-file", o->api_key_file, "Read the key from the file's first line (keeps it out of ps)");
  cmd->add_option("--port", s.port, "Port (0: any free port)")->capture_default_str();
  cmd->add_option("--max-batch-size", s.batcher.max_batch_size, "Texts per model batch")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--max-wait-ms", s.batcher.max_wait_ms, "How long a batch waits for more requests")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-queue", s.batcher.max_queued_texts, "Texts that may wait; beyond, 503 + Retry-After")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--workers", s.batcher.workers, "Model workers (all share one copy of the weights)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--max-body-bytes", s.max_body_bytes, "Largest request body")->capture_default_str();
  cmd->add_option("--max-inputs", s.max_inputs, "Most texts in one request")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--timeout-ms", s.timeout_ms, "Longest wait for a result before 503")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--http-threads", s.http_threads, "Connections served at once (reading, tokenizing); more wait")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->callback([o, cmd] { run_serve(*o, *cmd); });
}

}  // namespace bertcls::cli
