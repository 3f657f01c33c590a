#include "io/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include <bertcls/version.h>

namespace bertcls::io {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string line(data, size * count);
  // A new status line (after a redirect or a 100-continue) starts a new header set.
  if (line.rfind("HTTP/", 0) == 0) response->headers.clear();
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    response->headers[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return size * count;
}

struct DownloadState {
  const HttpClient::Sink* sink;
  uint64_t requested_offset;
  const std::function<void(uint64_t, uint64_t)>* progress;
  HttpResponse* response;
  uint64_t received = 0;
  bool aborted_by_sink = false;
};

size_t stream_body(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<DownloadState*>(user);
  // Bodies of redirects and errors are not file content.
  if (state->response->status == 0 || state->response->status >= 300) {
    state->response->body.append(data, size * count);
    return size * count;
  }
  uint64_t start = state->response->status == 206 ? state->requested_offset : 0;
  if (!(*state->sink)(start + state->received, data, size * count)) {
    state->aborted_by_sink = true;
    return 0;
  }
  state->received += size * count;
  return size * count;
}

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

std::unique_ptr<CURL, CurlDeleter> new_handle(const std::string& url) {
  global_init_once();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw TransferError{"libcurl could not start a transfer", false};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 15L);
  // Abort a transfer that stalls below 1 byte/s for 60 s instead of hanging forever.
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, 60L);
  static const std::string agent = std::string("bertcls/") + version();
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, agent.c_str());
  return curl;
}

void perform(CURL* curl, const std::string& url, HttpResponse& response) {
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  char* effective = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effective_url = effective;
  if (code == CURLE_OK) return;
  bool no_connection = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                       code == CURLE_COULDNT_RESOLVE_PROXY;
  throw TransferError{url + ": " + curl_easy_strerror(code), no_connection};
}

}  // namespace

std::string HttpResponse::header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? "" : it->second;
}

HttpClient::HttpClient(std::optional<std::string> bearer_token) : bearer_token_(std::move(bearer_token)) {}

namespace {

std::unique_ptr<curl_slist, SlistDeleter> request_headers(const std::optional<std::string>& token,
                                                          const std::string& extra = "") {
  curl_slist* list = nullptr;
  // The hub's ETag and size headers describe the raw file; compression would change them.
  list = curl_slist_append(list, "Accept-Encoding: identity");
  if (token) list = curl_slist_append(list, ("Authorization: Bearer " + *token).c_str());
  if (!extra.empty()) list = curl_slist_append(list, extra.c_str());
  return std::unique_ptr<curl_slist, SlistDeleter>(list);
}

}  // namespace

HttpResponse HttpClient::head(const std::string& url) const {
  auto curl = new_handle(url);
  auto headers = request_headers(bearer_token_);
  HttpResponse response;
  curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &response);
  perform(curl.get(), url, response);
  return response;
}

HttpResponse HttpClient::get(const std::string& url) const {
  auto curl = new_handle(url);
  auto headers = request_headers(bearer_token_);
  HttpResponse response;
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  perform(curl.get(), url, response);
  return response;
}

namespace {

int report_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* state = static_cast<DownloadState*>(user);
  if (*state->progress) (*state->progress)(state->received, static_cast<uint64_t>(std::max<curl_off_t>(total, 0)));
  return 0;
}

// Records the status as soon as the headers of the final response are complete, so the
// body callback knows whether the bytes are the file or an error page.
size_t header_then_status(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<DownloadState*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    auto space = line.find(' ');
    state->response->status = space == std::string::npos ? 0 : std::atol(line.c_str() + space + 1);
    state->response->body.clear();
  }
  return collect_header(data, size, count, state->response);
}

}  // namespace

HttpResponse HttpClient::download(const std::string& url, uint64_t offset, const Sink& sink,
                                  const std::function<void(uint64_t, uint64_t)>& progress) const {
  auto curl = new_handle(url);
  std::string range = offset > 0 ? "Range: bytes=" + std::to_string(offset) + "-" : "";
  auto headers = request_headers(bearer_token_, range);
  HttpResponse response;
  DownloadState state{&sink, offset, &progress, &response};
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, header_then_status);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, stream_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, report_progress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  try {
    perform(curl.get(), url, response);
  } catch (const TransferError&) {
    if (state.aborted_by_sink) throw TransferError{url + ": writing the downloaded bytes failed", false};
    throw;
  }
  return response;
}

}  // namespace bertcls::io
