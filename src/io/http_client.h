// A small HTTP client over libcurl for the hub: HEAD without following redirects (the
// hub's metadata lives on the first answer), GET into memory, and streaming downloads
// that resume at a byte offset.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace bertcls::io {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; last value wins
  std::string body;                            // GET only
  std::string effective_url;                   // after redirects (downloads)

  // The header's value, or "" when absent.
  std::string header(const std::string& lowercase_name) const;
};

// A transfer that failed below HTTP (no connection, cut mid-body, timeout, a sink that
// aborted). `connection_failed` separates "no network", where hub_download falls back to
// the cache or says how to work offline, from a transfer cut short, which it retries
// from the bytes already on disk.
struct TransferError {
  std::string message;
  bool connection_failed = false;  // nothing reached the server: likely no network
};

class HttpClient {
 public:
  // The token is sent as "Authorization: Bearer ..." to the hub; libcurl drops it when a
  // redirect leads to another host (the hub's CDN), as huggingface_hub does.
  explicit HttpClient(std::optional<std::string> bearer_token = std::nullopt);

  // Throws TransferError on failures below HTTP.
  HttpResponse head(const std::string& url) const;
  HttpResponse get(const std::string& url) const;

  // GET following redirects, asking for bytes from `offset` on (Range) when offset > 0.
  // Body bytes go to `sink` with the file position they belong at: `offset` when the
  // server honoured the range (206), 0 when it sent the whole file (200). Return false
  // from the sink to abort. `progress` sees bytes received and expected in this request.
  using Sink = std::function<bool(uint64_t position, const char* data, size_t size)>;
  HttpResponse download(const std::string& url, uint64_t offset, const Sink& sink,
                        const std::function<void(uint64_t received, uint64_t expected)>& progress) const;

 private:
  std::optional<std::string> bearer_token_;
};

}  // namespace bertcls::io
