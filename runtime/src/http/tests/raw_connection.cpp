#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace eskit::runtime::http::test {

namespace {

int open_socket(std::uint16_t port, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, static_cast<sockaddr*>(static_cast<void*>(&address)), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds timeout)
    : fd_(open_socket(port, timeout)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawConnection::fill() {
  char chunk[16 * 1024];
  auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<RawResponse> RawConnection::read_response() {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return std::nullopt;
  RawResponse response;
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  response.status = std::stoi(status_line.substr(9, 3));
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    auto colon = line.find(':');
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers[lower(line.substr(0, colon))] = value;
    pos = next + 2;
  }
  if (auto length = response.header("content-length"); !length.empty()) {
    auto size = std::stoul(length);
    while (buffer_.size() < size)
      if (!fill()) return std::nullopt;
    response.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  } else {
    while (fill()) {
    }
    response.body = std::move(buffer_);
    buffer_.clear();
  }
  return response;
}

bool RawConnection::wait_closed_by_peer() {
  char chunk[4096];
  for (;;) {
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

bool can_connect(std::uint16_t port) {
  int fd = open_socket(port, std::chrono::milliseconds{1000});
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

std::string request_text(std::string_view method, std::string_view target,
                         std::string_view extra_headers, std::string_view body) {
  std::string text =
      std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  text += extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT")
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n";
  text += body;
  return text;
}

}  // namespace eskit::runtime::http::test
