#include "process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <future>
#include <queue>
#include <system_error>

extern char** environ;

namespace eskit::run {

namespace {

// Everything the child needs, prepared before fork: after it only async-signal-safe calls.
struct Spawn {
  std::string program;
  std::vector<std::string> argv;
  std::vector<std::string> envp;
  int output_fd = -1;
};

pid_t fork_exec(const Spawn& spawn) {
  std::vector<char*> argv;
  for (const auto& a : spawn.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spawn.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // exec failing in the child is reported through this pipe; a successful exec closes it.
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category());
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(error_pipe[0]);
    ::close(error_pipe[1]);
    throw std::system_error(error, std::system_category(), "fork");
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(spawn.output_fd, 1);
    ::dup2(spawn.output_fd, 2);
    const auto keep = static_cast<unsigned>(error_pipe[1]);
    if (keep > 3) ::close_range(3, keep - 1, 0);
    ::close_range(keep + 1, ~0U, 0);
    ::execve(argv[0], argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] auto written = ::write(error_pipe[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(error_pipe[1]);
  int error = 0;
  ssize_t got;
  do {
    got = ::read(error_pipe[0], &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof error)) {
    ::waitpid(pid, nullptr, 0);
    throw std::system_error(error, std::system_category(), "cannot run " + spawn.program);
  }
  return pid;
}

// PR_SET_PDEATHSIG fires when the *thread* that forked exits, so every child is forked by
// this one thread, which lives as long as eskit-run: a scenario thread that restarts a
// service and then ends must not take the service with it.
class Launcher {
 public:
  static Launcher& instance() {
    static Launcher launcher;
    return launcher;
  }

  pid_t launch(const Spawn& spawn) {
    std::packaged_task<pid_t()> task([&spawn] { return fork_exec(spawn); });
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      tasks_.push(std::move(task));
    }
    cv_.notify_one();
    return result.get();
  }

  ~Launcher() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  Launcher() : thread_([this] { run(); }) {}

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      auto task = std::move(tasks_.front());
      tasks_.pop();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::queue<std::packaged_task<pid_t()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

std::vector<std::string> environment_with(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos && overrides.count(std::string(entry.substr(0, eq))) != 0)
      continue;
    out.emplace_back(entry);
  }
  for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
  return out;
}

}  // namespace

Process::Process(ProcessOptions options) : options_(std::move(options)) {
  if (!options_.log_file.empty()) {
    log_.open(options_.log_file, std::ios::app);
    if (!log_)
      throw std::system_error(errno, std::system_category(),
                              "cannot write " + options_.log_file.string());
  }
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category());
  Spawn spawn{options_.program.string(), {options_.program.string()}, {}, output[1]};
  for (const auto& a : options_.args) spawn.argv.push_back(a);
  spawn.envp = environment_with(options_.environment);
  try {
    pid_ = Launcher::instance().launch(spawn);
  } catch (...) {
    ::close(output[0]);
    ::close(output[1]);
    throw;
  }
  ::close(output[1]);
  reader_ = std::thread([this, fd = output[0]] { read_output(fd); });
}

Process::~Process() {
  if (!exited()) signal(SIGKILL);
  if (reader_.joinable()) reader_.join();
}

void Process::read_output(int fd) {
  std::string pending;
  char buffer[8192];
  const auto line = [this](std::string text) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (log_.is_open()) log_ << text << '\n';
    if (options_.on_line) options_.on_line(text);
    std::lock_guard lock(mutex_);
    tail_.push_back(std::move(text));
    if (tail_.size() > options_.tail_lines) tail_.pop_front();
  };
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
      line(pending.substr(start, nl - start));
      start = nl + 1;
    }
    pending.erase(0, start);
    if (log_.is_open()) log_.flush();
  }
  if (!pending.empty()) line(pending);
  if (log_.is_open()) log_.flush();
  ::close(fd);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  exited_cv_.notify_all();
  if (options_.on_exit) options_.on_exit(status, tail());
}

void Process::signal(int number) const {
  if (!exited()) ::kill(pid_, number);
}

void Process::signal_group(int number) const {
  if (!exited()) ::kill(-pid_, number);
}

bool Process::wait_for_exit(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return exited_cv_.wait_for(lock, timeout, [this] { return status_.has_value(); });
}

bool Process::exited() const {
  std::lock_guard lock(mutex_);
  return status_.has_value();
}

std::optional<int> Process::wait_status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::vector<std::string> Process::tail() const {
  std::lock_guard lock(mutex_);
  return {tail_.begin(), tail_.end()};
}

std::string describe_wait_status(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int number = WTERMSIG(wait_status);
    const char* name = ::sigabbrev_np(number);
    return std::string("killed by ") + (name ? std::string("SIG") + name : std::to_string(number));
  }
  return "stopped (status " + std::to_string(wait_status) + ")";
}

}  // namespace eskit::run
