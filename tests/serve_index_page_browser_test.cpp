// The pages of bertcls serve, used as a person would, in headless Chromium: at /, type a
// text, click Classify, read the probabilities it shows, and give the key a server asks
// for; at /docs, see every route and send one a request. Skipped where chromium and
// chromedriver are not installed (scripts/install-deps.sh installs them).
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "pipeline/classifier_model.h"
#include "serve/server.h"
#include "support/headless_chromium.h"
#include "support/tiny_model.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Polls `done` every 50 ms for up to 10 s: the page updates after its fetch() returns.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 200; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// The server on a free loopback port, stopped however the test ends.
struct RunningServer {
  explicit RunningServer(const fs::path& model_dir, const std::string& api_key = "")
      : server(bertcls::pipeline::ClassifierModel::load(model_dir.string()), "tiny", options(api_key)) {
    port = server.bind();
    thread = std::thread([this] { server.serve(); });
  }
  ~RunningServer() {
    server.stop();
    thread.join();
  }
  static bertcls::serve::ServerOptions options(const std::string& api_key) {
    bertcls::serve::ServerOptions o;
    o.port = 0;
    o.api_key = api_key;
    return o;
  }
  bertcls::serve::InferenceServer server;
  int port = 0;
  std::thread thread;
};

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("bertcls_browser_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

// Width and height from the IHDR chunk, which the PNG format puts first; {0, 0} when
// `png` does not start as a PNG must.
std::pair<uint32_t, uint32_t> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || png.compare(12, 4, "IHDR") != 0) return {0, 0};
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

// Declares `chromedriver` and `chromium`, or skips the test without them.
#define FIND_CHROMIUM_OR_SKIP()                                                                               \
  auto chromedriver = bertcls::test::find_on_path("chromedriver");                                             \
  auto chromium = bertcls::test::find_on_path("chromium");                                                     \
  if (!chromedriver || !chromium)                                                                              \
  GTEST_SKIP() << "chromium and chromedriver are not on PATH (Debian: apt-get install chromium chromium-driver, " \
                  "as scripts/install-deps.sh does)"

TEST(ServeIndexPageInChromium, ShowsTheProbabilitiesPredictGivesAndTheServersErrors) {
  FIND_CHROMIUM_OR_SKIP();
  TempDir dir;
  RunningServer serving(bertcls::test::make_tiny_model_folder(dir.path / "model"));
  const std::string url = "http://127.0.0.1:" + std::to_string(serving.port);
  bertcls::test::HeadlessChromium browser(*chromedriver, *chromium, dir.path);

  browser.navigate(url + "/");
  ASSERT_TRUE(eventually([&] { return !browser.text(browser.find("#meta")).empty(); })) << "/info never shown";
  EXPECT_NE(browser.text(browser.find("#meta")).find("labels: negative, positive"), std::string::npos);

  const std::string text = "какой чудесный день, всё получилось";
  browser.type(browser.find("#text"), text);
  browser.click(browser.find("#go"));
  std::vector<std::string> rows;
  ASSERT_TRUE(eventually([&] { return !(rows = browser.find_all("#result .row")).empty(); }))
      << "no result; the page says: " << browser.text(browser.find("#error"));

  httplib::Client api("127.0.0.1", serving.port);
  auto answer = api.Post("/predict", json{{"inputs", text}, {"truncate", true}}.dump(), "application/json");
  ASSERT_TRUE(answer && answer->status == 200);
  json expected = json::parse(answer->body);
  ASSERT_EQ(rows.size(), expected.size());
  std::vector<std::string> shown = browser.find_all("#result .row .value");
  ASSERT_EQ(shown.size(), rows.size());
  double sum = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double score = expected[i]["score"].get<double>();
    EXPECT_EQ(browser.attribute(rows[i], "data-label"), expected[i]["label"].get<std::string>()) << "row " << i;
    EXPECT_EQ(std::stod(browser.attribute(rows[i], "data-score")), score) << "row " << i;
    char printed[32];
    std::snprintf(printed, sizeof printed, "%.4f", score);
    EXPECT_EQ(browser.text(shown[i]), printed) << "row " << i;
    sum += std::stod(browser.text(shown[i]));
  }
  EXPECT_NEAR(sum, 1.0, 2e-4) << "softmax probabilities, each rounded to 4 digits";

  // The screenshot is kept next to the binaries, for a person to look at.
  std::string png = browser.screenshot_png();
  auto [width, height] = png_size(png);
  EXPECT_EQ(width, 900u);
  EXPECT_GT(height, 0u);
  EXPECT_GT(png.size(), 5000u) << "a blank page compresses to far less";
  std::ofstream(fs::path(BERTCLS_CLI).parent_path() / "serve_index_page.png", std::ios::binary) << png;

  // An empty text is a 422 from the server; the page shows its message, not a result.
  browser.clear(browser.find("#text"));
  browser.click(browser.find("#go"));
  ASSERT_TRUE(eventually([&] { return !browser.text(browser.find("#error")).empty(); }));
  EXPECT_NE(browser.text(browser.find("#error")).find("empty text"), std::string::npos);
  EXPECT_TRUE(browser.find_all("#result .row").empty());
}

TEST(ServeIndexPageInChromium, AsksForTheKeyAServerNeedsAndSendsIt) {
  FIND_CHROMIUM_OR_SKIP();
  TempDir dir;
  RunningServer serving(bertcls::test::make_tiny_model_folder(dir.path / "model"), "s3cret");
  bertcls::test::HeadlessChromium browser(*chromedriver, *chromium, dir.path);
  browser.navigate("http://127.0.0.1:" + std::to_string(serving.port) + "/");
  ASSERT_TRUE(eventually([&] { return browser.text(browser.find("#error")).find("API key") != std::string::npos; }))
      << "the page must say why /info failed";
  browser.type(browser.find("#key"), "s3cret");
  browser.type(browser.find("#text"), "какой чудесный день");
  browser.click(browser.find("#go"));
  ASSERT_TRUE(eventually([&] { return browser.find_all("#result .row").size() == 2; }))
      << "no result; the page says: " << browser.text(browser.find("#error"));
}

TEST(ServeDocsPageInChromium, ListsEveryRouteAndSendsOneARequest) {
  FIND_CHROMIUM_OR_SKIP();
  TempDir dir;
  RunningServer serving(bertcls::test::make_tiny_model_folder(dir.path / "model"), "s3cret");
  bertcls::test::HeadlessChromium browser(*chromedriver, *chromium, dir.path);
  browser.navigate("http://127.0.0.1:" + std::to_string(serving.port) + "/docs");
  ASSERT_TRUE(eventually([&] { return browser.find_all("section").size() == 11; }))
      << browser.find_all("section").size() << " routes shown";
  browser.type(browser.find("#key"), "s3cret");
  const std::string predict = "section[data-route=\"POST /predict\"] ";
  browser.click(browser.find(predict + "button"));
  ASSERT_TRUE(eventually([&] { return browser.text(browser.find(predict + "pre.status")).rfind("200", 0) == 0; }))
      << browser.text(browser.find(predict + "pre.status"));
  EXPECT_NE(browser.text(browser.find(predict + "pre.status")).find("\"label\""), std::string::npos);
}

}  // namespace
