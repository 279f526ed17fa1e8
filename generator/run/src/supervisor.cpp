#include "eskit/run/supervisor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "eskit/run/postgres_cluster.hpp"
#include "eskit/run/service_proxy.hpp"
#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/text/join.hpp"
#include "process.hpp"

namespace eskit::run {

namespace fs = std::filesystem;
namespace http = runtime::http;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using runtime::text::join;

namespace {

constexpr const char* issuer = "eskit-run";
// How often the services measure consumer lag here (inbox.lagInterval, 5 s by default), and
// how long nothing may move before the system counts as quiet: several samples, so a lag
// that has not been measured yet cannot pass for zero.
constexpr const char* lag_interval = "250ms";
constexpr auto quiet_window = 1500ms;
// As generator/src/deploy/kubernetes.cpp declares the topics for a real cluster.
constexpr int event_topic_partitions = 6;

std::string random_hex(std::size_t bytes) {
  std::ifstream in("/dev/urandom", std::ios::binary);
  std::string raw(bytes, '\0');
  if (!in.read(raw.data(), static_cast<std::streamsize>(bytes)))
    throw std::runtime_error("cannot read /dev/urandom for this run's keys");
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string loopback_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

std::string tail_text(const Process& process) {
  std::string out;
  for (const auto& line : process.tail()) out += "    " + line + "\n";
  return out;
}

std::optional<std::uint16_t> listening_port(std::string_view line) {
  static const std::regex pattern(R"re("msg":"listening".*"port":(\d+))re");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(line.begin(), line.end(), match, pattern)) return std::nullopt;
  return static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

// Whether something accepts connections at host:port (the broker's bootstrap address).
bool accepts(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  if (::inet_pton(AF_INET, address.substr(0, colon).c_str(), &peer.sin_addr) != 1) return false;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) == 0;
  ::close(fd);
  return ok;
}

// One sample line of the Prometheus text format: name, the label text inside {} and value.
struct Sample {
  std::string name;
  std::string labels;
  double value = 0;
};

std::vector<Sample> parse_metrics(const std::string& text) {
  std::vector<Sample> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    Sample s;
    const auto brace = line.find('{');
    if (brace != std::string::npos && brace < space) {
      s.name = line.substr(0, brace);
      s.labels = line.substr(brace + 1, line.rfind('}', space) - brace - 1);
    } else {
      s.name = line.substr(0, space);
    }
    try {
      s.value = std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

struct Supervisor::Replica {
  std::string name;  // caller, caller#2
  std::atomic<std::uint16_t> port{0};
  std::atomic<bool> ready{false};
  std::atomic<bool> expected_exit{false};
  // Last, so it is destroyed first: its reader thread reads the flags above until joined.
  std::unique_ptr<Process> process;
};

struct Supervisor::Service {
  ContextPlan plan;
  std::unique_ptr<ServiceProxy> proxy;
  std::string db_url;
  std::vector<std::unique_ptr<Replica>> replicas;  // index i is replica i+1
  int desired = 1;
  std::map<std::string, std::string> overrides;
};

struct Supervisor::Impl {
  Impl(SystemPlan p, SupervisorOptions o, Console& c)
      : plan(std::move(p)), options(std::move(o)), console(c), key(random_hex(32)) {}

  SystemPlan plan;
  SupervisorOptions options;
  Console& console;
  const std::string key;
  std::optional<runtime::auth::JwtSigner> signer;
  std::map<std::string, std::string> secrets;  // generated per run, kept across restarts

  // Serialises the SystemControl operations; `state` guards what the reader threads touch.
  std::mutex operation;
  mutable std::mutex state;
  std::condition_variable changed;  // a port announced, an exit, an interrupt
  std::atomic<bool> interrupted{false};
  std::atomic<bool> running{false};

  std::unique_ptr<Process> broker;
  std::string bootstrap;
  std::unique_ptr<PostgresCluster> postgres;
  std::vector<std::unique_ptr<Service>> services;
  std::unique_ptr<Process> gateway;
  std::atomic<std::uint16_t> gateway_port{0};
  http::Client client;

  // caller#2 logs to caller-2.log: no shell comment character in a file name.
  fs::path log_file(std::string name) const {
    if (const auto hash = name.find('#'); hash != std::string::npos) name[hash] = '-';
    return options.state_dir / (name + ".log");
  }

  Service& service(std::string_view context) {
    for (auto& s : services)
      if (s->plan.name == context) return *s;
    std::vector<std::string> known;
    for (auto& s : services) known.push_back(s->plan.name);
    throw std::runtime_error("no context '" + std::string(context) + "' in this system (" +
                             join(known, ", ") + ")");
  }

  // Sleeps up to `d`, waking early on an interrupt.
  void pause(std::chrono::milliseconds d) {
    std::unique_lock lock(state);
    changed.wait_for(lock, d, [this] { return interrupted.load(); });
    if (interrupted) throw std::runtime_error("interrupted");
  }

  void refresh_backends(Service& s) {
    std::vector<std::uint16_t> ports;
    for (const auto& r : s.replicas)
      if (r && r->ready && !r->expected_exit && !r->process->exited()) ports.push_back(r->port);
    s.proxy->set_backends(std::move(ports));
  }

  std::unique_ptr<Process> spawn(const std::string& name, const fs::path& program,
                                 std::vector<std::string> args,
                                 std::map<std::string, std::string> environment,
                                 std::atomic<std::uint16_t>* port, std::function<void()> on_exit,
                                 const std::atomic<bool>* expected) {
    ProcessOptions o;
    o.program = program;
    o.args = std::move(args);
    o.environment = std::move(environment);
    o.log_file = log_file(name);
    o.on_line = [this, name, port](std::string_view line) {
      if (port != nullptr && *port == 0) {
        if (auto p = listening_port(line)) {
          {
            std::lock_guard lock(state);
            *port = *p;
          }
          changed.notify_all();
        }
      }
      console.line(name, line);
    };
    o.on_exit = [this, name, expected, on_exit = std::move(on_exit)](
                    int status, const std::vector<std::string>& tail) {
      if ((expected == nullptr || !*expected) && running) {
        std::string text = "*** " + name + " " + describe_wait_status(status) +
                           " unexpectedly; the others keep running. The end of " +
                           log_file(name).string() + ":";
        for (const auto& line : tail) text += "\n    " + line;
        console.error(text);
      }
      if (on_exit) on_exit();
      changed.notify_all();
    };
    return std::make_unique<Process>(std::move(o));
  }

  std::map<std::string, std::string> auth_environment() const {
    return {{"ESKIT_AUTH_JWT_ALGORITHM", "HS256"},
            {"ESKIT_AUTH_JWT_KEY", key},
            {"ESKIT_AUTH_JWT_ISSUER", issuer},
            {"ESKIT_AUTH_JWT_AUDIENCE", issuer}};
  }

  std::map<std::string, std::string> service_environment(const Service& s, int index) {
    std::map<std::string, std::string> env;
    for (const auto& [name, value] : s.plan.defaults)
      if (std::getenv(name.c_str()) == nullptr) env[name] = value;
    for (const auto& name : s.plan.generated_secrets) {
      if (std::getenv(name.c_str()) != nullptr) continue;
      auto [it, inserted] = secrets.emplace(name, "");
      if (inserted) it->second = random_hex(32);
      env[name] = it->second;
    }
    for (const auto& [variable, callee] : s.plan.calls)
      for (const auto& other : services)
        if (other->plan.name == callee) env[variable] = loopback_url(other->proxy->port());
    env.merge(auth_environment());
    env["ESKIT_DB_URL"] = s.db_url;
    env["ESKIT_HTTP_ADDRESS"] = "127.0.0.1";
    env["ESKIT_HTTP_PORT"] = "0";
    env["ESKIT_KAFKA_BOOTSTRAP_SERVERS"] = bootstrap;
    env["ESKIT_INBOX_LAG_INTERVAL"] = lag_interval;
    // A killed process keeps its partitions for a whole session timeout; 45 s in production,
    // too long for a restart to be watched.
    env["ESKIT_KAFKA_SESSION_TIMEOUT"] = "6s";
    env["ESKIT_KAFKA_CLIENT_ID"] =
        index == 1 ? s.plan.name : s.plan.name + "-" + std::to_string(index);
    for (const auto& [name, value] : s.overrides) env[name] = value;
    return env;
  }

  // Starts replica `index` (1-based) of `s` in slot index-1; not yet ready.
  Replica& launch(Service& s, int index) {
    auto replica = std::make_unique<Replica>();
    replica->name = index == 1 ? s.plan.name : s.plan.name + "#" + std::to_string(index);
    Replica* r = replica.get();
    auto env = service_environment(s, index);
    r->process = spawn(
        r->name, s.plan.binary, {}, std::move(env), &r->port,
        [this, &s] {
          std::lock_guard lock(state);
          refresh_backends(s);
        },
        &r->expected_exit);
    std::lock_guard lock(state);
    if (static_cast<int>(s.replicas.size()) < index) s.replicas.resize(index);
    s.replicas[index - 1] = std::move(replica);
    return *r;
  }

  // Waits for the process's `listening` port and then for /ready on it.
  void wait_ready(const std::string& name, Process& process, std::atomic<std::uint16_t>& port,
                  std::string_view ready_path = "/ready") {
    const auto deadline = Clock::now() + options.ready_deadline;
    std::string last = "no `listening` log line yet";
    for (;;) {
      if (process.exited()) {
        throw std::runtime_error(name + " " + describe_wait_status(*process.wait_status()) +
                                 " before it was ready; the end of its log:\n" +
                                 tail_text(process));
      }
      if (port != 0) {
        auto request = http::ClientRequest::get(loopback_url(port) + std::string(ready_path));
        request.timeout = 2s;
        const auto result = client.call(request);
        if (result.ok() && result.response().status == 200) return;
        last = result.ok() ? std::string(ready_path) + " answered " +
                                 std::to_string(result.response().status) + ": " +
                                 result.response().body.substr(0, 300)
                           : result.error().message;
      }
      if (Clock::now() > deadline) {
        throw std::runtime_error(
            name + " did not become ready within " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(options.ready_deadline).count()) +
            " s (" + last + "); the end of its log:\n" + tail_text(process));
      }
      pause(100ms);
    }
  }

  void wait_ready(Service& s, Replica& r) {
    wait_ready(r.name, *r.process, r.port);
    r.ready = true;
    std::lock_guard lock(state);
    refresh_backends(s);
  }

  // SIGTERM (or SIGKILL) to the given processes, then SIGKILL whatever outlives the grace.
  void terminate(const std::vector<Process*>& processes, int signal_number) {
    for (auto* p : processes) p->signal(signal_number);
    const auto deadline = Clock::now() + options.stop_grace;
    std::vector<std::string> killed;
    for (auto* p : processes) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (!p->wait_for_exit(std::max(left, 0ms))) {
        p->signal(SIGKILL);
        p->wait_for_exit(5s);
        killed.push_back(std::to_string(p->pid()));
      }
    }
    if (!killed.empty()) {
      console.error("pid " + join(killed, ", ") + " did not stop within the grace period; killed");
    }
  }

  void stop_replicas(Service& s, std::size_t keep, int signal_number) {
    std::vector<Process*> stopping;
    for (std::size_t i = keep; i < s.replicas.size(); ++i) {
      if (!s.replicas[i]) continue;
      s.replicas[i]->expected_exit = true;
      stopping.push_back(s.replicas[i]->process.get());
    }
    terminate(stopping, signal_number);
    std::vector<std::unique_ptr<Replica>> gone;
    {
      std::lock_guard lock(state);
      for (std::size_t i = keep; i < s.replicas.size(); ++i)
        gone.push_back(std::move(s.replicas[i]));
      s.replicas.resize(std::min(keep, s.replicas.size()));
      refresh_backends(s);
    }
    // Destroyed outside the lock: a Process joins its reader, which may be waiting for it.
    gone.clear();
  }

  // Starts the missing replicas of `s` up to s.desired and waits for them.
  void fill(Service& s) {
    std::vector<Replica*> started;
    for (int i = 1; i <= s.desired; ++i) {
      const bool alive = i <= static_cast<int>(s.replicas.size()) && s.replicas[i - 1] &&
                         !s.replicas[i - 1]->process->exited();
      if (alive) continue;
      if (i <= static_cast<int>(s.replicas.size()) && s.replicas[i - 1]) {
        std::unique_ptr<Replica> dead;
        {
          std::lock_guard lock(state);
          dead = std::move(s.replicas[i - 1]);
        }
      }
      started.push_back(&launch(s, i));
    }
    for (auto* r : started) wait_ready(s, *r);
  }

  void start_broker() {
    const auto address_file = options.state_dir / "broker.address";
    fs::remove(address_file);
    // Created up front, with the partitions `eskit deploy` gives them: a consumer subscribed
    // to a topic that does not exist yet only notices it at a later metadata refresh, seconds
    // after the first event was published.
    std::vector<std::string> args = {"--address-file", address_file.string()};
    for (const auto& s : services) {
      if (s->plan.topic.empty()) continue;
      args.push_back("--topic");
      args.push_back(s->plan.topic + ":" + std::to_string(event_topic_partitions));
    }
    broker = spawn("broker", options.broker, args, {}, nullptr, {}, nullptr);
    const auto deadline = Clock::now() + options.ready_deadline;
    while (!fs::exists(address_file)) {
      if (broker->exited())
        throw std::runtime_error("the broker " + describe_wait_status(*broker->wait_status()) +
                                 "; the end of its log:\n" + tail_text(*broker));
      if (Clock::now() > deadline) throw std::runtime_error("the broker announced no address");
      pause(50ms);
    }
    std::ifstream in(address_file);
    std::getline(in, bootstrap);
  }

  void start_gateway() {
    std::vector<std::string> routes;
    for (const auto& [prefix, context] : plan.routes) routes.push_back(prefix + "=" + context);
    std::vector<std::string> upstreams;
    for (const auto& s : services)
      upstreams.push_back(s->plan.name + "=" + loopback_url(s->proxy->port()));
    auto env = auth_environment();
    env["ESKIT_HTTP_ADDRESS"] = "127.0.0.1";
    env["ESKIT_HTTP_PORT"] = std::to_string(options.gateway_port);
    env["ESKIT_GATEWAY_ROUTES"] = join(routes, ",");
    env["ESKIT_GATEWAY_UPSTREAMS"] = join(upstreams, ",");
    // A stopped or restarted service shows in /gateway/upstreams within a second.
    env["ESKIT_GATEWAY_HEALTH_INTERVAL"] = "1s";
    if (!plan.public_paths.empty())
      env["ESKIT_GATEWAY_PUBLIC_PATHS"] = join(plan.public_paths, ",");
    gateway = spawn("gateway", options.gateway, {}, std::move(env), &gateway_port, {}, nullptr);
    wait_ready("gateway", *gateway, gateway_port);
  }

  struct Scrape {
    std::vector<std::string> busy;           // why the system is not quiet
    std::map<std::string, double> counters;  // replica|series → value
  };

  static bool answering(const std::unique_ptr<Replica>& r) {
    return r && r->ready && !r->process->exited();
  }

  // The samples of a running replica's /metrics; nullopt, with `why` set, when it does not
  // answer them.
  std::optional<std::vector<Sample>> read_metrics(const Replica& r, std::string& why) {
    auto request = http::ClientRequest::get(loopback_url(r.port) + "/metrics");
    request.timeout = 2s;
    const auto result = client.call(request);
    if (result.ok() && result.response().status == 200)
      return parse_metrics(result.response().body);
    why = r.name + ": /metrics " +
          (result.ok() ? std::to_string(result.response().status) : result.error().message);
    return std::nullopt;
  }

  Scrape scrape() {
    Scrape out;
    std::map<std::string, std::pair<double, std::string>> lag;  // partition → lowest, by whom
    for (auto& s : services) {
      for (auto& r : s->replicas) {
        if (!answering(r)) continue;
        std::string why;
        const auto samples = read_metrics(*r, why);
        if (!samples) {
          out.busy.push_back(std::move(why));
          continue;
        }
        for (const auto& m : *samples) {
          const std::string series = m.name + "{" + m.labels + "}";
          if (m.name == "eskit_outbox_backlog" && m.value != 0) {
            out.busy.push_back(r->name + ": " + series + " " + std::to_string(m.value));
          } else if (m.name == "eskit_consumer_assigned" && m.value != 1) {
            // Joining or rebalancing: its lag is not measured, so 0 would prove nothing.
            out.busy.push_back(r->name + ": " + series + " (joining its group)");
          } else if (m.name == "eskit_consumer_lag") {
            const auto partition = s->plan.name + "|" + m.labels;
            auto [it, inserted] =
                lag.emplace(partition, std::make_pair(m.value, r->name + ": " + series));
            if (!inserted && m.value < it->second.first)
              it->second = {m.value, r->name + ": " + series};
          } else if (m.name == "eskit_outbox_published_total" ||
                     m.name == "eskit_inbox_handled_total" ||
                     m.name == "eskit_inbox_duplicates_total" ||
                     m.name == "eskit_inbox_dead_lettered_total") {
            out.counters[r->name + "|" + series] = m.value;
          }
        }
      }
    }
    for (const auto& [partition, value] : lag)
      if (value.first != 0) out.busy.push_back(value.second + " " + std::to_string(value.first));
    return out;
  }
};

Supervisor::Supervisor(SystemPlan plan, SupervisorOptions options, Console& console)
    : impl_(std::make_unique<Impl>(std::move(plan), std::move(options), console)) {
  impl_->signer.emplace(runtime::auth::SignerOptions{.algorithm = runtime::auth::Algorithm::hs256,
                                                     .key = impl_->key,
                                                     .issuer = issuer,
                                                     .audiences = {issuer},
                                                     .lifetime = std::chrono::hours(12)});
  for (const auto& c : impl_->plan.contexts) {
    auto s = std::make_unique<Service>();
    s->plan = c;
    if (auto it = impl_->options.replicas.find(c.name); it != impl_->options.replicas.end())
      s->desired = std::max(1, it->second);
    if (auto it = impl_->options.config.find(c.name); it != impl_->options.config.end())
      s->overrides = it->second;
    impl_->services.push_back(std::move(s));
  }
}

Supervisor::~Supervisor() {
  try {
    shutdown();
  } catch (const std::exception& e) {
    impl_->console.error(std::string("eskit-run: stopping: ") + e.what());
  }
}

void Supervisor::start() {
  std::lock_guard op(impl_->operation);
  auto& m = *impl_;
  std::vector<std::string> names{"broker", "gateway"};
  for (const auto& s : m.services) names.push_back(s->plan.name);
  m.console.announce(names);
  m.running = true;
  m.start_broker();

  bool any_postgresql = false;
  for (const auto& s : m.services) any_postgresql = any_postgresql || s->plan.postgresql;
  if (m.options.postgres && any_postgresql) {
    m.console.note("starting PostgreSQL in " + (m.options.state_dir / "postgres").string());
    m.postgres = PostgresCluster::start(m.options.state_dir / "postgres");
  }
  for (auto& s : m.services) {
    s->proxy = std::make_unique<ServiceProxy>();
    s->db_url = m.postgres && s->plan.postgresql
                    ? m.postgres->create_database(s->plan.name)
                    : "sqlite:" + (m.options.state_dir / (s->plan.name + ".db")).string();
  }
  // Every context's first replica at once, so start-up costs the slowest, not the sum; the
  // others after, so replicas never race over the first migration of a shared database.
  std::vector<std::pair<Service*, Replica*>> first;
  for (auto& s : m.services) first.emplace_back(s.get(), &m.launch(*s, 1));
  for (auto& [s, r] : first) m.wait_ready(*s, *r);
  for (auto& s : m.services) m.fill(*s);
  m.start_gateway();
}

void Supervisor::shutdown() {
  std::lock_guard op(impl_->operation);
  auto& m = *impl_;
  if (!m.running) return;
  m.running = false;
  std::vector<Process*> services;
  for (auto& s : m.services)
    for (auto& r : s->replicas)
      if (r) {
        r->expected_exit = true;
        services.push_back(r->process.get());
      }
  m.terminate(services, SIGTERM);
  if (m.gateway) m.terminate({m.gateway.get()}, SIGTERM);
  if (m.broker) m.terminate({m.broker.get()}, SIGTERM);
  std::vector<std::unique_ptr<Replica>> gone;
  {
    // A reader thread may still be in its exit callback, which walks the replicas.
    std::lock_guard lock(m.state);
    for (auto& s : m.services) {
      for (auto& r : s->replicas) gone.push_back(std::move(r));
      s->replicas.clear();
    }
  }
  gone.clear();
  m.gateway.reset();
  m.broker.reset();
  m.postgres.reset();
}

void Supervisor::interrupt() {
  impl_->interrupted = true;
  impl_->changed.notify_all();
}

void Supervisor::kill_all() {
  std::lock_guard lock(impl_->state);
  for (auto& s : impl_->services)
    for (auto& r : s->replicas)
      if (r) r->process->signal(SIGKILL);
  if (impl_->gateway) impl_->gateway->signal(SIGKILL);
  if (impl_->broker) impl_->broker->signal(SIGKILL);
}

std::vector<ProcessInfo> Supervisor::processes() const {
  std::lock_guard lock(impl_->state);
  std::vector<ProcessInfo> out;
  if (impl_->gateway) out.push_back({"gateway", gateway_url(), {impl_->gateway->pid()}});
  for (const auto& s : impl_->services) {
    ProcessInfo info{s->plan.name, loopback_url(s->proxy ? s->proxy->port() : 0), {}};
    for (const auto& r : s->replicas)
      if (r && !r->process->exited()) info.pids.push_back(r->process->pid());
    out.push_back(std::move(info));
  }
  if (impl_->broker) out.push_back({"broker", impl_->bootstrap, {impl_->broker->pid()}});
  return out;
}

std::string Supervisor::log_tails() const {
  std::lock_guard lock(impl_->state);
  std::string out;
  const auto add = [&out](const std::string& name, const Process& p) {
    out += "--- " + name + (p.exited() ? " (" + describe_wait_status(*p.wait_status()) + ")" : "") +
           "\n" + tail_text(p);
  };
  for (const auto& s : impl_->services)
    for (const auto& r : s->replicas)
      if (r) add(r->name, *r->process);
  if (impl_->gateway) add("gateway", *impl_->gateway);
  if (impl_->broker) add("broker", *impl_->broker);
  return out;
}

std::string Supervisor::gateway_url() const { return loopback_url(impl_->gateway_port); }

std::string Supervisor::service_url(std::string_view context) const {
  std::lock_guard lock(impl_->state);
  for (const auto& s : impl_->services) {
    if (s->plan.name != context) continue;
    for (const auto& r : s->replicas)
      if (Impl::answering(r)) return loopback_url(r->port);
    return loopback_url(s->proxy ? s->proxy->port() : 0);
  }
  throw std::runtime_error("no context '" + std::string(context) + "' in this system");
}

std::vector<std::string> Supervisor::contexts() const {
  std::vector<std::string> out;
  for (const auto& c : impl_->plan.contexts) out.push_back(c.name);
  return out;
}

std::string Supervisor::bootstrap_servers() const { return impl_->bootstrap; }

std::string Supervisor::token(std::string_view subject,
                              const std::vector<std::string>& roles) const {
  return impl_->signer->sign({.subject = std::string(subject), .roles = roles}).token;
}

void Supervisor::stop(std::string_view context) {
  std::lock_guard op(impl_->operation);
  impl_->stop_replicas(impl_->service(context), 0, SIGTERM);
}

void Supervisor::kill(std::string_view context) {
  std::lock_guard op(impl_->operation);
  impl_->stop_replicas(impl_->service(context), 0, SIGKILL);
}

void Supervisor::start(std::string_view context) {
  std::lock_guard op(impl_->operation);
  impl_->fill(impl_->service(context));
}

void Supervisor::restart(std::string_view context) {
  std::lock_guard op(impl_->operation);
  auto& s = impl_->service(context);
  impl_->stop_replicas(s, 0, SIGTERM);
  impl_->fill(s);
}

void Supervisor::scale(std::string_view context, int replicas) {
  if (replicas < 1)
    throw std::runtime_error("scale: at least 1 replica, not " + std::to_string(replicas));
  std::lock_guard op(impl_->operation);
  auto& s = impl_->service(context);
  s.desired = replicas;
  if (static_cast<int>(s.replicas.size()) > replicas)
    impl_->stop_replicas(s, static_cast<std::size_t>(replicas), SIGTERM);
  impl_->console.announce({s.plan.name + "#" + std::to_string(replicas)});
  impl_->fill(s);
}

void Supervisor::slow(std::string_view context, std::chrono::milliseconds delay) {
  std::lock_guard op(impl_->operation);
  impl_->service(context).proxy->set_delay(delay);
}

void Supervisor::configure(std::string_view context, std::string_view variable,
                           std::string_view value) {
  std::lock_guard op(impl_->operation);
  auto& overrides = impl_->service(context).overrides;
  if (value.empty())
    overrides.erase(std::string(variable));
  else
    overrides[std::string(variable)] = std::string(value);
}

void Supervisor::broker_down() {
  std::lock_guard op(impl_->operation);
  auto& m = *impl_;
  m.broker->signal(SIGUSR1);
  const auto deadline = Clock::now() + 10s;
  while (accepts(m.bootstrap)) {
    if (m.broker->exited())
      throw std::runtime_error("the broker " + describe_wait_status(*m.broker->wait_status()) +
                               " on SIGUSR1: this eskit-broker cannot be taken down and up");
    if (Clock::now() > deadline)
      throw std::runtime_error("the broker still accepts connections 10 s after SIGUSR1");
    m.pause(20ms);
  }
}

void Supervisor::broker_up() {
  std::lock_guard op(impl_->operation);
  auto& m = *impl_;
  m.broker->signal(SIGUSR2);
  const auto deadline = Clock::now() + 10s;
  while (!accepts(m.bootstrap)) {
    if (m.broker->exited())
      throw std::runtime_error("the broker " + describe_wait_status(*m.broker->wait_status()));
    if (Clock::now() > deadline)
      throw std::runtime_error("the broker accepts no connections 10 s after SIGUSR2");
    m.pause(20ms);
  }
}

std::vector<std::pair<std::string, std::int64_t>> Supervisor::handled_by_replica(
    std::string_view context) {
  std::lock_guard op(impl_->operation);
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (auto& r : impl_->service(context).replicas) {
    if (!Impl::answering(r)) continue;
    std::string why;
    const auto samples = impl_->read_metrics(*r, why);
    if (!samples) throw std::runtime_error(why);
    double handled = 0;
    for (const auto& m : *samples)
      if (m.name == "eskit_inbox_handled_total") handled += m.value;
    out.emplace_back(r->name, static_cast<std::int64_t>(handled));
  }
  return out;
}

void Supervisor::settle(std::chrono::milliseconds deadline) {
  std::lock_guard op(impl_->operation);
  auto& m = *impl_;
  const auto until = Clock::now() + deadline;
  std::optional<std::map<std::string, double>> counters;
  auto quiet_since = Clock::now();
  for (;;) {
    auto scrape = m.scrape();
    const auto now = Clock::now();
    if (!scrape.busy.empty()) {
      counters.reset();
    } else if (!counters || *counters != scrape.counters) {
      counters = std::move(scrape.counters);
      quiet_since = now;
    } else if (now - quiet_since >= quiet_window) {
      return;
    }
    if (now > until) {
      throw std::runtime_error("not settled within " + std::to_string(deadline.count()) + " ms: " +
                               (scrape.busy.empty()
                                    ? std::string("events were still being published or handled")
                                    : join(scrape.busy, "; ")));
    }
    m.pause(250ms);
  }
}

}  // namespace eskit::run
