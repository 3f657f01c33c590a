// What serve answers besides classification: TEI's /tokenize and /decode, its timing
// headers, request ids, the access log, the OpenAPI description and /docs, and the
// batcher's promise that a lone request does not wait for company.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/serve_fixture.h"
#include "text/tokenizer.h"

using nlohmann::json;

namespace {

class ServeRoutes : public bertcls::test::ServeFixture {};

TEST_F(ServeRoutes, ClassifyAnswersCarryTeisTimingHeaders) {
  start();
  auto r = client->Post("/predict", R"({"inputs": ["какой хороший день", "всё"]})", "application/json");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("x-compute-type"), "cpu");
  // [CLS] … [SEP] of both texts, as the model's own tokenizer counts them.
  auto tokenizer = bertcls::text::Tokenizer::from_directory(*model_dir);
  const size_t tokens = tokenizer.encode("какой хороший день").size() + tokenizer.encode("всё").size();
  EXPECT_EQ(r->get_header_value("x-compute-tokens"), std::to_string(tokens));
  EXPECT_EQ(r->get_header_value("x-compute-characters"), std::to_string(18 + 3));  // code points, not bytes
  for (const char* header : {"x-compute-time", "x-total-time", "x-tokenization-time", "x-queue-time", "x-inference-time"}) {
    ASSERT_TRUE(r->has_header(header)) << header;
    EXPECT_TRUE(std::regex_match(r->get_header_value(header), std::regex("[0-9]+"))) << header << ": " << r->get_header_value(header);
  }
  auto root = client->Post("/", R"({"inputs": "всё"})", "application/json");
  EXPECT_TRUE(root->has_header("x-inference-time"));
}

TEST_F(ServeRoutes, EveryAnswerCarriesARequestIdEchoedWhenUsable) {
  start();
  auto mine = client->Get("/health", {{"x-request-id", "trace-42.a:b"}});
  EXPECT_EQ(mine->get_header_value("x-request-id"), "trace-42.a:b");
  auto made = client->Post("/predict", R"({"inputs": 5})", "application/json");
  EXPECT_EQ(made->status, 422);
  EXPECT_TRUE(std::regex_match(made->get_header_value("x-request-id"), std::regex("[0-9a-f]{32}")));
  EXPECT_NE(client->Get("/health")->get_header_value("x-request-id"), made->get_header_value("x-request-id"));
  // An id that would smuggle spaces or a novel into the logs is replaced.
  for (const std::string& bad : {std::string("a b"), std::string(200, 'x'), std::string("<script>")}) {
    auto r = client->Get("/health", {{"x-request-id", bad}});
    EXPECT_TRUE(std::regex_match(r->get_header_value("x-request-id"), std::regex("[0-9a-f]{32}"))) << bad;
  }
  EXPECT_TRUE(client->Get("/nothing")->has_header("x-request-id")) << "404s too";
}

TEST_F(ServeRoutes, TheJsonAccessLogHasALinePerRequest) {
  bertcls::serve::ServerOptions options;
  std::vector<std::string> lines;
  std::mutex mutex;
  options.log_format = bertcls::serve::LogFormat::Json;
  options.log_line = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  };
  start(options);
  auto ok = client->Post("/predict", {{"x-request-id", "req-1"}}, R"({"inputs": ["хорошо", "плохо"]})", "application/json");
  auto bad = client->Post("/", {{"x-request-id", "req-2"}}, R"({"inputs": []})", "application/json");
  auto missing = client->Get("/nothing", {{"x-request-id", "req-3"}});
  // The logger runs after the answer is sent, so lines can still be coming (start()'s
  // /health polls among them): keep the lines of these three requests once all are in.
  std::vector<std::string> mine;
  for (int i = 0; i < 200 && mine.size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mutex);
    mine.clear();
    for (const auto& line : lines)
      if (line.find("\"request_id\":\"req-") != std::string::npos) mine.push_back(line);
  }
  stop();  // no logger may run once `lines` and `mutex` are gone
  ASSERT_EQ(mine.size(), 3u);
  std::sort(mine.begin(), mine.end(), [](const std::string& a, const std::string& b) {
    return json::parse(a)["request_id"] < json::parse(b)["request_id"];
  });
  const json first = json::parse(mine[0]);
  EXPECT_EQ(first["request_id"], "req-1");
  EXPECT_EQ(first["method"], "POST");
  EXPECT_EQ(first["path"], "/predict");
  EXPECT_EQ(first["status"], 200);
  EXPECT_EQ(first["texts"], 2);
  EXPECT_EQ(std::to_string(first["tokens"].get<long>()), ok->get_header_value("x-compute-tokens"));
  EXPECT_GE(first["inference_ms"].get<double>(), 0.0);
  EXPECT_GE(first["total_ms"].get<double>(), first["inference_ms"].get<double>());
  EXPECT_TRUE(std::regex_match(first["time"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  const json second = json::parse(mine[1]);
  EXPECT_EQ(second["request_id"], "req-2");
  EXPECT_EQ(second["status"], 422);
  EXPECT_EQ(second["texts"], 0);
  EXPECT_EQ(json::parse(mine[2])["status"], 404);
}

TEST_F(ServeRoutes, TokenizeAnswersAsTeiWithByteOffsets) {
  start();
  const std::string text = "Привет, мир!";
  auto [status, answer] = post_json(json{{"inputs", text}}.dump(), "/tokenize");
  ASSERT_EQ(status, 200) << answer.dump();
  ASSERT_EQ(answer.size(), 1u) << "a list of lists even for one text";
  const auto expected = bertcls::text::Tokenizer::from_directory(*model_dir).encode(text);
  const json& tokens = answer[0];
  ASSERT_EQ(tokens.size(), expected.size());
  EXPECT_EQ(tokens[0], json({{"id", expected.ids[0]}, {"text", "[CLS]"}, {"special", true}, {"start", nullptr}, {"stop", nullptr}}));
  for (size_t t = 1; t + 1 < tokens.size(); ++t) {
    EXPECT_EQ(tokens[t]["id"], expected.ids[t]);
    EXPECT_EQ(tokens[t]["special"], false);
    const size_t start = tokens[t]["start"], stop = tokens[t]["stop"];
    EXPECT_EQ(tokens[t]["text"], text.substr(start, stop - start)) << "the input's bytes at the offsets";
  }
  EXPECT_EQ(tokens[1]["start"], 0);
  EXPECT_EQ(tokens[1]["text"], "Привет");  // 12 bytes of UTF-8
  EXPECT_EQ(tokens[1]["stop"], 12);

  auto [plain_status, plain] = post_json(R"({"inputs": ["мир", "да"], "add_special_tokens": false})", "/tokenize");
  ASSERT_EQ(plain_status, 200);
  ASSERT_EQ(plain.size(), 2u);
  for (const auto& token : plain[0]) EXPECT_EQ(token["special"], false);
  // Not truncated: every token of a text longer than the model takes.
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "слово ";
  auto [long_status, long_tokens] = post_json(json{{"inputs", long_text}}.dump(), "/tokenize");
  ASSERT_EQ(long_status, 200);
  EXPECT_GT(long_tokens[0].size(), 128u);

  expect_client_error(R"({"inputs": "a", "add_special_tokens": 1})", 422, "validation", "add_special_tokens", "/tokenize");
  expect_client_error(R"({"text": "a"})", 422, "validation", "unknown field \"text\"", "/tokenize");
  expect_client_error("{", 400, "invalid_json", "not valid JSON", "/tokenize");
}

TEST_F(ServeRoutes, DecodeTurnsIdsBackIntoText) {
  start();
  const auto tokenizer = bertcls::text::Tokenizer::from_directory(*model_dir);
  const auto encoded = tokenizer.encode("Привет, мир!");
  auto [status, one] = post_json(json{{"ids", encoded.ids}}.dump(), "/decode");
  ASSERT_EQ(status, 200) << one.dump();
  EXPECT_EQ(one, json::array({tokenizer.decode(encoded.ids)}));
  auto [batch_status, batch] =
      post_json(json{{"ids", {encoded.ids, encoded.ids}}, {"skip_special_tokens", false}}.dump(), "/decode");
  ASSERT_EQ(batch_status, 200);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0], tokenizer.decode(encoded.ids, false));
  EXPECT_NE(batch[0].get<std::string>().find("[CLS]"), std::string::npos);

  expect_client_error(R"({"ids": [1, -2]})", 422, "validation", "\"ids\"[1] must be a token id", "/decode");
  expect_client_error(R"({"ids": [[1], "x"]})", 422, "validation", "\"ids\"[1] must be a list", "/decode");
  expect_client_error(R"({"ids": []})", 422, "validation", "non-empty", "/decode");
  // An id beyond the vocabulary is dropped, as HF tokenizers' decode drops it.
  auto [beyond_status, beyond] = post_json(R"({"ids": [999999999]})", "/decode");
  EXPECT_EQ(beyond_status, 200);
  EXPECT_EQ(beyond, json::array({tokenizer.decode({999999999})}));
  expect_client_error(R"({"inputs": "a"})", 422, "validation", "unknown field", "/decode");
}

TEST_F(ServeRoutes, OpenApiDescribesEveryRouteAndDocsRendersItOffline) {
  start();
  auto r = client->Get("/openapi.json");
  ASSERT_EQ(r->status, 200);
  const json spec = json::parse(r->body);
  EXPECT_EQ(spec["openapi"], "3.0.3");
  const std::pair<const char*, const char*> routes[] = {
      {"/predict", "post"}, {"/", "post"}, {"/tokenize", "post"}, {"/decode", "post"}, {"/admin/reload", "post"},
      {"/health", "get"},   {"/info", "get"}, {"/metrics", "get"}, {"/openapi.json", "get"}, {"/docs", "get"}, {"/", "get"}};
  size_t described = 0;
  for (const auto& [path, methods] : spec["paths"].items()) described += methods.size();
  EXPECT_EQ(described, std::size(routes)) << "a route the server lacks, or one it has that is missing below";
  for (const auto& [path, method] : routes) {
    ASSERT_TRUE(spec["paths"].contains(path) && spec["paths"][path].contains(method)) << method << " " << path;
    // The server has it: anything but 404 (405 would mean the method is wrong).
    auto answer = std::string(method) == "get" ? client->Get(path) : client->Post(path, "{}", "application/json");
    EXPECT_NE(answer->status, 404) << method << " " << path;
    EXPECT_NE(answer->status, 405) << method << " " << path;
  }
  // Every $ref points at something that exists.
  const std::string text = spec.dump();
  std::smatch m;
  for (auto it = text.cbegin(); std::regex_search(it, text.cend(), m, std::regex(R"re("\$ref":"#/([^"]+)")re")); it = m[0].second)
    EXPECT_TRUE(spec.contains(json::json_pointer("/" + m[1].str()))) << m[1];
  auto docs = client->Get("/docs");
  EXPECT_EQ(docs->status, 200);
  EXPECT_NE(docs->body.find("fetch('/openapi.json')"), std::string::npos);
  EXPECT_EQ(docs->body.find("http://"), std::string::npos) << "no external resources";
  EXPECT_EQ(docs->body.find("https://"), std::string::npos) << "no external resources";
}

TEST_F(ServeRoutes, ALoneRequestDoesNotWaitForCompany) {
  bertcls::serve::ServerOptions options;
  options.batcher.max_wait_ms = 2000;
  start(options);
  for (int i = 0; i < 3; ++i) {
    const auto begin = std::chrono::steady_clock::now();
    ASSERT_EQ(post(R"({"inputs": "один"})")->status, 200);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_LT(ms, 1000) << "an idle worker must run a lone request at once, not wait --max-wait-ms";
  }
}

}  // namespace
