// bertcls serve over loopback: every endpoint, every client error, concurrent clients
// getting what `bertcls predict` gives, and a graceful stop on SIGTERM.
#include <gtest/gtest.h>

#include <cmath>
#include <httplib.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include <bertcls/error.h>
#include <bertcls/classifier.h>
#include "serve/predict_request.h"
#include "pipeline/classifier_model.h"
#include "serve/api_key.h"
#include "serve/server.h"
#include "support/cli_runner.h"
#include "support/serve_fixture.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class Serve : public bertcls::test::ServeFixture {};

TEST_F(Serve, HealthInfoMetricsAndThePage) {
  start();
  auto health = client->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto info = json::parse(client->Get("/info")->body);
  EXPECT_EQ(info["model_id"], "tiny");
  EXPECT_EQ(info["labels"], json({"negative", "positive"}));
  EXPECT_EQ(info["max_input_length"], 128);
  EXPECT_EQ(info["max_batch_size"], 32);
  EXPECT_TRUE(info.contains("version"));
  post(R"({"inputs": "привет"})");
  std::string metrics = metrics_containing("bertcls_requests_total{endpoint=\"/predict\",status=\"200\"} 1");
  EXPECT_NE(metrics.find("bertcls_requests_total{endpoint=\"/predict\",status=\"200\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("bertcls_request_duration_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(metrics.find("bertcls_batch_texts_count 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("bertcls_queue_texts 0"), std::string::npos);
  auto page = client->Get("/");
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("fetch('/predict'"), std::string::npos);
}

TEST_F(Serve, APortALiveServerHoldsIsAnError) {
  start();
  bertcls::serve::ServerOptions options;
  options.port = server->port();
  bertcls::serve::InferenceServer second(bertcls::pipeline::ClassifierModel::load(model_dir->string()), "tiny", options);
  EXPECT_THROW(second.bind(), bertcls::Error) << "two servers would share the port's connections";
}

TEST_F(Serve, KeptAliveConnectionsAreNotHeldBackByNagle) {
  start();
  client->set_keep_alive(true);
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client->Get("/health")->status, 200);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
  // With Nagle on, many answers waited for the client's delayed ACK (40 ms each): over a
  // second for these 50. Without, a few ms.
  EXPECT_LT(ms, 400);
}

TEST_F(Serve, IdleKeptAliveConnectionsDoNotStallANewClient) {
  start();
  // A few browsers with the page open each keep connections idle between requests.
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 16; ++i) {
    idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", server->port()));
    idle.back()->set_keep_alive(true);
    ASSERT_EQ(idle.back()->Get("/health")->status, 200);
  }
  auto begin = std::chrono::steady_clock::now();
  auto r = httplib::Client("127.0.0.1", server->port()).Get("/health");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_TRUE(r);
  EXPECT_LT(seconds, 1.0) << "waited for an idle connection's keep-alive time (5 s) to end";
}

TEST_F(Serve, PredictAnswersAsTextEmbeddingsInferenceDoes) {
  start();
  auto [status, single] = post_json(R"({"inputs": "какой хороший день"})");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(single.size(), 2u);
  EXPECT_GE(single[0]["score"].get<float>(), single[1]["score"].get<float>()) << "sorted by score";
  EXPECT_NEAR(single[0]["score"].get<float>() + single[1]["score"].get<float>(), 1.0f, 1e-5f);

  auto [batch_status, batch] = post_json(R"({"inputs": ["какой хороший день", "всё плохо"], "top_k": 1})");
  ASSERT_EQ(batch_status, 200);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].size(), 1u);
  EXPECT_EQ(batch[0][0], single[0]);

  auto [raw_status, raw] = post_json(R"({"inputs": "всё плохо", "raw_scores": true, "text_pair": "да"})");
  ASSERT_EQ(raw_status, 200);
  auto clf = bertcls::Classifier::load((*model_dir).string());
  auto expected = clf.predict_inputs(std::vector<bertcls::TextInput>{{"всё плохо", std::string("да")}})[0];
  for (const auto& entry : raw) {
    int id = entry["label"] == "negative" ? 0 : 1;
    EXPECT_EQ(entry["score"].get<float>(), expected.logits[id]);
  }
}

TEST_F(Serve, EveryClientErrorIsA4xxWithErrorAndType) {
  bertcls::serve::ServerOptions options;
  options.max_inputs = 3;
  options.max_body_bytes = 4096;
  start(options);
  expect_client_error("{not json", 400, "invalid_json", "not valid JSON");
  expect_client_error("{\"inputs\": \"\xff\xfe\"}", 400, "invalid_json", "not valid JSON");
  expect_client_error(R"(["a"])", 422, "validation", "must be a JSON object");
  expect_client_error(R"({"text": "a"})", 422, "validation", "unknown field \"text\"");
  expect_client_error(R"({"top_k": 1})", 422, "validation", "missing field \"inputs\"");
  expect_client_error(R"({"inputs": 5})", 422, "validation", "\"inputs\" must be a string or a list");
  expect_client_error(R"({"inputs": ["a", 5]})", 422, "validation", "\"inputs\"[1] must be a string");
  expect_client_error(R"({"inputs": []})", 422, "validation", "empty list");
  expect_client_error(R"({"inputs": ""})", 422, "validation", "empty text");
  expect_client_error(R"({"inputs": "a", "top_k": 0})", 422, "validation", "top_k");
  expect_client_error(R"({"inputs": "a", "truncate": "yes"})", 422, "validation", "truncate");
  expect_client_error(R"({"inputs": ["a", "b"], "text_pair": "c"})", 422, "validation", "text_pair");
  expect_client_error(R"({"inputs": ["a", "b", "c", "d"]})", 413, "validation", "more than the maximum of 3");
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "слово ";
  expect_client_error(json{{"inputs", long_text}}.dump(), 413, "validation", "more than the model's maximum of 128");
  EXPECT_EQ(post_json(json{{"inputs", long_text}, {"truncate", true}}.dump()).first, 200);
  expect_client_error(json{{"inputs", std::string(5000, 'a')}}.dump(), 413, "payload_too_large", "--max-body-bytes");

  auto get_predict = client->Get("/predict");
  EXPECT_EQ(get_predict->status, 405);
  EXPECT_EQ(json::parse(get_predict->body)["error_type"], "method_not_allowed");
  auto missing = client->Get("/nothing");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["error_type"], "not_found");
  // After all that, the server still answers.
  EXPECT_EQ(post_json(R"({"inputs": "ok"})").first, 200);
  EXPECT_EQ(client->Get("/health")->status, 200);
}

TEST_F(Serve, ConcurrentClientsGetWhatPredictGives) {
  bertcls::serve::ServerOptions options;
  options.batcher.max_wait_ms = 20;
  start(options);
  const std::vector<std::string> texts = {"отличный фильм", "ужасная погода", "ну такое", "люблю тебя",
                                          "опять понедельник", "как же хорошо", "не знаю", "всё пропало"};
  std::string args = "predict --model '" + model_dir->string() + "'";
  for (const auto& t : texts) args += " '" + t + "'";
  auto cli = bertcls::test::run_cli(args);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  std::vector<json> expected;
  std::istringstream lines(cli.out);
  for (std::string line; std::getline(lines, line);) expected.push_back(json::parse(line));
  ASSERT_EQ(expected.size(), texts.size());

  std::vector<std::thread> clients;
  std::atomic<int> mismatches{0}, answered{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client local("127.0.0.1", server->port());
      for (int round = 0; round < 5; ++round) {
        size_t i = static_cast<size_t>(c + round) % texts.size();
        auto r = local.Post("/predict", json{{"inputs", texts[i]}}.dump(), "application/json");
        if (!r || r->status != 200) continue;
        ++answered;
        for (const auto& entry : json::parse(r->body))
          if (std::abs(entry["score"].get<float>() - expected[i]["scores"][entry["label"].get<std::string>()].get<float>()) > 1e-5f)
            ++mismatches;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(answered, 40);
  EXPECT_EQ(mismatches, 0);
  const std::string all_answered = "bertcls_requests_total{endpoint=\"/predict\",status=\"200\"} 40";
  EXPECT_NE(metrics_containing(all_answered).find(all_answered), std::string::npos);
}

TEST_F(Serve, AFullQueueAnswers503WithRetryAfter) {
  bertcls::serve::ServerOptions options;
  options.batcher.workers = 0;  // nothing drains the queue
  options.batcher.max_queued_texts = 2;
  options.timeout_ms = 1000;  // how long the first request waits before its own 503
  start(options);
  std::thread waiting([&] { httplib::Client("127.0.0.1", server->port()).Post("/predict", R"({"inputs": ["a", "b"]})", "application/json"); });
  while (client->Get("/metrics")->body.find("bertcls_queue_texts 2") == std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto r = post(R"({"inputs": "c"})");
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  EXPECT_EQ(json::parse(r->body)["error_type"], "overloaded");
  server->stop();
  waiting.join();
}

TEST_F(Serve, ARequestWithoutAnswerInTimeIs503) {
  bertcls::serve::ServerOptions options;
  options.batcher.workers = 0;
  options.timeout_ms = 50;
  start(options);
  auto r = post(R"({"inputs": "a"})");
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["error_type"], "timeout");
}

TEST(ServeCommand, SigtermFinishesTheRequestInFlightAndExitsZero) {
  fs::path dir = fs::temp_directory_path() / ("bertcls_serve_cmd_" + std::to_string(::getpid()));
  bertcls::test::make_tiny_model_folder(dir);
  bertcls::test::ServeProcess serve(dir / "stderr.txt", {"--model", dir.string()});
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  // A request whose body is still arriving when SIGTERM comes is in flight: it must be
  // read, queued, run and answered before the process exits.
  const std::string body = R"({"inputs": "в полёте"})";
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(serve.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string head = "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5);
  ASSERT_EQ(::send(sock, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  serve.signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string rest = body.substr(5);
  ASSERT_EQ(::send(sock, rest.data(), rest.size(), 0), static_cast<ssize_t>(rest.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(sock, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  ::close(sock);
  const int status = serve.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << serve.stderr_text();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"label\""), std::string::npos) << answer;
  fs::remove_all(dir);
}

}  // namespace

namespace {

TEST(ApiKey, BearerMatchesOnlyTheExactKey) {
  using bertcls::serve::bearer_matches;
  EXPECT_TRUE(bearer_matches("Bearer s3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer s3cret!", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer S3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("s3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer ", ""));  // no key configured never matches
}

}  // namespace

TEST_F(Serve, AnApiKeyGuardsEveryRouteButHealthAndThePages) {
  bertcls::serve::ServerOptions options;
  options.api_key = "s3cret";
  std::vector<std::string> log;
  std::mutex log_mutex;
  options.log_format = bertcls::serve::LogFormat::Json;
  options.log_line = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    log.push_back(line);
  };
  start(options);
  // A browser opening a page cannot send a key; the pages hold nothing about the model.
  for (const char* path : {"/health", "/", "/docs", "/openapi.json"}) EXPECT_EQ(client->Get(path)->status, 200) << path;
  auto check_refused = [](const httplib::Result& r, const std::string& route) {
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->status, 401) << route;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"bertcls\"") << route;
    EXPECT_EQ(json::parse(r->body)["error_type"], "unauthorized") << route;
  };
  for (const char* path : {"/info", "/metrics"}) check_refused(client->Get(path), path);
  for (const char* path : {"/", "/predict", "/tokenize", "/decode", "/admin/reload"})
    check_refused(client->Post(path, R"({"inputs": "a"})", "application/json"), path);
  expect_client_error(R"({"inputs": "привет"})", 401, "unauthorized", "needs an API key");
  httplib::Headers wrong = {{"Authorization", "Bearer s3cre"}};
  auto refused = client->Post("/predict", wrong, R"({"inputs": "привет"})", "application/json");
  EXPECT_EQ(refused->status, 401);
  EXPECT_NE(refused->body.find("wrong"), std::string::npos) << refused->body;

  httplib::Headers right = {{"Authorization", "Bearer s3cret"}};
  auto answered = client->Post("/predict", right, R"({"inputs": "привет"})", "application/json");
  EXPECT_EQ(answered->status, 200) << answered->body;
  auto info = client->Get("/info", right);
  EXPECT_EQ(info->status, 200);
  EXPECT_EQ(info->body.find("s3cret"), std::string::npos) << "the key must not appear in /info";
  stop();  // the logger runs after each answer is sent: let it finish before reading the log
  std::lock_guard lock(log_mutex);
  EXPECT_FALSE(log.empty());
  for (const auto& line : log) EXPECT_EQ(line.find("s3cret"), std::string::npos) << "nor in the access log: " << line;
}

TEST_F(Serve, AnUnreadableKeyFileIsAnErrorNamingIt) {
  auto r = bertcls::test::run_cli("serve --model '" + model_dir->string() + "' --port 0 --api-key-file /no/such/key.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/no/such/key.txt: cannot read the API key file"), std::string::npos) << r.err;
}

TEST_F(Serve, RootAnswersAsTheTextClassificationPipeline) {
  start();
  auto answer = [&](const std::string& body) {
    auto r = client->Post("/", body, "application/json");
    EXPECT_TRUE(r);
    return std::pair{r->status, json::parse(r->body)};
  };
  // A single text is still a list of lists, every label, best first, as TEI's /predict scores it.
  auto [status, one] = answer(R"({"inputs": "всё плохо"})");
  ASSERT_EQ(status, 200) << one.dump();
  ASSERT_TRUE(one.is_array() && one.size() == 1 && one[0].size() == 2) << one.dump();
  EXPECT_GE(one[0][0]["score"].get<double>(), one[0][1]["score"].get<double>());
  auto [tei_status, tei] = post_json(R"({"inputs": "всё плохо"})");
  ASSERT_EQ(tei_status, 200);
  EXPECT_EQ(one[0], tei);

  auto [batch_status, batch] = answer(R"({"inputs": ["хороший день", "всё плохо"], "parameters": {"top_k": 1}})");
  ASSERT_EQ(batch_status, 200);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].size(), 1u);
  EXPECT_EQ(batch[1][0], tei[0]);

  // function_to_apply: "none" gives the logits, "sigmoid" 1 / (1 + e^-logit).
  auto [raw_status, raw] = answer(R"({"inputs": "всё плохо", "parameters": {"function_to_apply": "none"}})");
  auto [tei_raw_status, tei_raw] = post_json(R"({"inputs": "всё плохо", "raw_scores": true})");
  EXPECT_EQ(raw[0], tei_raw);
  auto [sig_status, sig] = answer(R"({"inputs": "всё плохо", "parameters": {"function_to_apply": "sigmoid"}})");
  const double logit = raw[0][0]["score"].get<double>();
  EXPECT_NEAR(sig[0][0]["score"].get<double>(), 1.0 / (1.0 + std::exp(-logit)), 1e-6);

  for (const char* bad : {R"({"inputs": "a", "parameters": {"function_to_apply": "tanh"}})",
                          R"({"inputs": "a", "parameters": {"top_k": 0}})", R"({"inputs": "a", "options": {}})",
                          R"({"inputs": "a", "parameters": {"temperature": 1}})", R"({"inputs": []})"}) {
    auto [code, error] = answer(bad);
    EXPECT_EQ(code, 422) << bad;
    EXPECT_EQ(error["error_type"], "validation") << bad;
  }
  EXPECT_EQ(client->Get("/")->status, 200);  // the page stays at GET /
}

TEST_F(Serve, CorsAnswersPreflightsAndMarksEveryAnswer) {
  bertcls::serve::ServerOptions options;
  options.api_key = "s3cret";
  options.cors_allow_origin = "https://app.example";
  start(options);
  auto preflight = client->Options("/predict", {{"Origin", "https://app.example"},
                                                {"Access-Control-Request-Method", "POST"},
                                                {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);  // no key needed: browsers send none with a preflight
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  auto refused = client->Post("/predict", R"({"inputs": "привет"})", "application/json");
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("Access-Control-Allow-Origin"), "https://app.example");
  auto answered = client->Post("/predict", {{"Authorization", "Bearer s3cret"}}, R"({"inputs": "привет"})",
                               "application/json");
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(answered->get_header_value("Access-Control-Allow-Origin"), "https://app.example");
}

TEST_F(Serve, WithoutCorsThereAreNoCorsHeaders) {
  start();
  auto r = client->Post("/predict", R"({"inputs": "привет"})", "application/json");
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->has_header("Access-Control-Allow-Origin"));
}
