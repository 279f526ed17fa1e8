#pragma once
// A plain blocking TCP connection for tests that must send what a well-behaved client never
// would (oversized headers, lying Content-Length, garbage) or watch the connection itself
// (reuse, closing). Every read has a receive timeout, so a bug fails a test instead of hanging.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace eskit::runtime::http::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  [[nodiscard]] std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds{5000});
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }
  bool send(std::string_view bytes);
  // One response (Content-Length framed, or up to EOF); nullopt on EOF, reset or timeout.
  std::optional<RawResponse> read_response();
  // True when the peer closed the connection (EOF or reset) before the timeout.
  bool wait_closed_by_peer();

 private:
  bool fill();  // reads more into buffer_; false on EOF/error/timeout
  int fd_ = -1;
  std::string buffer_;
};

// True when a TCP connection to 127.0.0.1:port is accepted by the kernel.
bool can_connect(std::uint16_t port);

// A minimal request with Host and optional body.
std::string request_text(std::string_view method, std::string_view target,
                         std::string_view extra_headers = {}, std::string_view body = {});

}  // namespace eskit::runtime::http::test
