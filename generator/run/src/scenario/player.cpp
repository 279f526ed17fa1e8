// Playing a scenario: each step against the SystemControl, its HTTP answers and the events the
// system publishes, one report line per step, stopping at the first that does not hold.
#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"
#include "eskit/runtime/text/join.hpp"
#include "eskit/runtime/text/uuid.hpp"
#include "events.hpp"
#include "handled_counts.hpp"
#include "matcher.hpp"
#include "report.hpp"
#include "scenario_data.hpp"
#include "variables.hpp"

namespace eskit::run {
namespace http = runtime::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// One request's whole budget; a slowed or hanging service answers within it or counts as none.
constexpr Millis call_timeout = 10'000ms;
constexpr Millis poll_interval = 100ms;
// Events a narrated step shows before summing up the rest.
constexpr std::size_t narrated_events = 8;
// A service's /metrics, read after each narrated step, answers in a few milliseconds (a stopped
// or killed one refuses at once); one that does not answer in time is left out of that step's
// story rather than holding it up.
constexpr Millis metrics_timeout = 250ms;

Millis since(Clock::time_point start) {
  return std::chrono::duration_cast<Millis>(Clock::now() - start);
}

std::string duration_text(Millis d) {
  if (d.count() % 60'000 == 0 && d.count() > 0) return std::to_string(d.count() / 60'000) + "m";
  if (d.count() % 1000 == 0 && d.count() > 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

struct Outcome {
  bool held = true;
  std::string observed;
  std::vector<std::pair<std::string, std::string>> details;  // label, text

  static Outcome failed(std::string observed,
                        std::vector<std::pair<std::string, std::string>> d = {}) {
    return {false, std::move(observed), std::move(d)};
  }
};

// What a call got: an answer, or why there was none.
struct Answer {
  bool answered = false;
  int status = 0;
  Json body;  // parsed JSON, the text itself when it is not JSON, null when empty
  http::Headers headers;
  std::string error;
  Millis elapsed{0};
};

// The outcome of every call of a repeat, shown on its line and matched by `tally:`.
class Tally {
 public:
  void add(const Answer& answer, bool held) {
    std::lock_guard lock(mutex_);
    ++calls_;
    held_ += held ? 1 : 0;
    ++status_[answer.answered ? std::to_string(answer.status) : "none"];
    ms_.push_back(answer.elapsed.count());
  }

  [[nodiscard]] Json to_json() const {
    std::lock_guard lock(mutex_);
    json::object status;
    for (const auto& [code, n] : status_) status[code] = n;
    auto sorted = ms_;
    std::sort(sorted.begin(), sorted.end());
    auto percentile = [&](double p) -> std::int64_t {
      if (sorted.empty()) return 0;
      const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
      return sorted[std::max<std::size_t>(rank, 1) - 1];
    };
    return json::object{{"calls", calls_},
                        {"held", held_},
                        {"failed", calls_ - held_},
                        {"status", std::move(status)},
                        {"ms", json::object{{"p50", percentile(0.5)},
                                            {"p90", percentile(0.9)},
                                            {"max", sorted.empty() ? 0 : sorted.back()}}}};
  }

  [[nodiscard]] std::string text() const {
    const Json t = to_json();
    const auto& o = t.get_object();
    std::string out = std::to_string(o.at("calls").get_int64()) + " calls";
    if (o.at("calls").get_int64() == 0) return out;
    out += ", " + std::to_string(o.at("held").get_int64()) + " held";
    for (const auto& [code, n] : o.at("status").get_object())
      out += ", " + std::string(code) + "×" + std::to_string(n.get_int64());
    const auto& ms = o.at("ms").get_object();
    out += "; p50 " + std::to_string(ms.at("p50").get_int64()) + " ms, p90 " +
           std::to_string(ms.at("p90").get_int64()) + " ms, max " +
           std::to_string(ms.at("max").get_int64()) + " ms";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::int64_t calls_ = 0;
  std::int64_t held_ = 0;
  std::map<std::string, std::int64_t> status_;
  std::vector<std::int64_t> ms_;
};

class Player {
 public:
  Player(const ScenarioData& data, SystemControl& system, const PlayOptions& options)
      : data_(data),
        system_(system),
        options_(options),
        report_(*options.out, options.color, options.narrate),
        client_(client_options()) {}

  bool play() {
    try {
      contexts_ = system_.contexts();
    } catch (const std::exception& e) {
      report_.begin(data_);
      report_.step(false, "ask the system for its contexts", e.what(), 0ms);
      return false;
    }
    check_contexts(contexts_);
    const std::string run =
        options_.run_id.empty() ? runtime::text::new_uuid().substr(0, 8) : options_.run_id;
    vars_["run"] = Json(run);
    report_.begin(data_);
    const auto start = Clock::now();
    if (data_.reads_events || report_.narrating()) start_reading(contexts_, run);
    // What was handled before the first step is not this scenario's story.
    if (report_.narrating()) handled_since_last_look();
    int steps = 0;
    for (const auto& s : data_.steps) steps += std::holds_alternative<SayStep>(s.action) ? 0 : 1;
    int held = 0;
    for (const auto& s : data_.steps) {
      if (!s.say.empty()) report_.say(say_text(s.say));
      if (std::holds_alternative<SayStep>(s.action)) continue;
      const auto began = Clock::now();
      auto [what, outcome] = run_step(s, vars_);
      show_new_events();
      show_handling();
      report_.step(outcome.held, what, outcome.observed, since(began));
      if (!outcome.held) {
        for (const auto& [label, text] : outcome.details) report_.detail(label, text);
        report_.end(false, held, steps, since(start),
                    data_.file_name + ":" + std::to_string(s.where.line));
        return false;
      }
      ++held;
    }
    report_.end(true, held, steps, since(start), {});
    return true;
  }

 private:
  void start_reading(const std::vector<std::string>& contexts, const std::string& run) {
    try {
      const std::string bootstrap = system_.bootstrap_servers();
      if (bootstrap.empty()) {
        events_error_ = "the system has no broker";
      } else {
        events_ = std::make_unique<EventLog>(
            bootstrap, contexts,
            "eskit-scenario-" + run + "-" + runtime::text::new_uuid().substr(0, 8));
      }
    } catch (const std::exception& e) {
      events_error_ = e.what();
    }
    if (!events_ && !data_.reads_events)
      report_.note("(events are not shown: " + events_error_ + ")");
  }

  static http::ClientOptions client_options() {
    http::ClientOptions options;
    options.user_agent = "eskit-scenario";
    return options;
  }

  void check_contexts(const std::vector<std::string>& contexts) {
    std::vector<std::string> problems;
    for (const auto& use : data_.context_uses) {
      if (std::find(contexts.begin(), contexts.end(), use.name) != contexts.end()) continue;
      std::string hint = runtime::text::did_you_mean(use.name, contexts);
      problems.push_back(error_line(
          data_.file_name, use.where,
          "the system has no context '" + use.name + "'" + (hint.empty() ? "" : "; " + hint)));
    }
    if (!problems.empty()) throw ScenarioError(std::move(problems));
  }

  // Narration with the values saved so far; a name without one stays as written rather than
  // stopping the story.
  std::string say_text(const std::string& text) const {
    try {
      return substitute_text(text, vars_);
    } catch (const UnsetVariable&) {
      return text;
    }
  }

  void show_new_events() {
    if (!events_ || !report_.narrating()) return;
    auto fresh = events_->wait_after(shown_events_, Clock::now());
    shown_events_ += fresh.size();
    for (std::size_t k = 0; k < fresh.size() && k < narrated_events; ++k)
      report_.published(fresh[k]);
    if (fresh.size() > narrated_events)
      report_.note("… and " + std::to_string(fresh.size() - narrated_events) + " more events");
  }

  // What each context's inboxes handled since the last look, in model order. A context that
  // does not answer keeps its last reading, so what it handles meanwhile shows once it does;
  // one answering at another address is a new process, whose counts all are new.
  std::vector<std::pair<std::string, HandledCounts>> handled_since_last_look() {
    std::vector<std::pair<std::string, HandledCounts>> out;
    for (const auto& context : contexts_) {
      std::string url;
      try {
        url = system_.service_url(context);
      } catch (const std::exception&) {
        continue;
      }
      auto request = http::ClientRequest::get(url + "/metrics");
      request.timeout = metrics_timeout;
      const auto result = client_.call(request);
      if (!result || result->status != 200) continue;
      auto counts = parse_handled_counts(result->body);
      auto& last = handled_[context];
      auto fresh = handled_since(last.url == url ? last.counts : HandledCounts{}, counts);
      last = {std::move(url), std::move(counts)};
      if (!fresh.empty()) out.emplace_back(context, std::move(fresh));
    }
    return out;
  }

  // One line per context and event type (and count, as the inboxes of one context may be at
  // different points), naming the subscriptions — the policies and views — that handled it.
  void show_handling() {
    if (!report_.narrating()) return;
    for (const auto& [context, fresh] : handled_since_last_look()) {
      // A service names its inboxes "<context>.<subscription>"; the context is on the line.
      const std::string own = context + ".";
      std::map<std::pair<std::string, std::int64_t>, std::vector<std::string>> lines;
      for (const auto& [handling, count] : fresh) {
        const auto& consumer = handling.consumer;
        lines[{handling.event_type, count}].push_back(
            consumer.starts_with(own) ? consumer.substr(own.size()) : consumer);
      }
      for (const auto& [what, subscriptions] : lines)
        report_.handled(context, what.first, what.second, subscriptions);
    }
  }

  // --- steps -----------------------------------------------------------------------------

  // What the step is (as shown on its line) and how it went.
  std::pair<std::string, Outcome> run_step(const Step& s, Vars& vars, Tally* tally = nullptr,
                                           bool quiet = false) {
    std::string what;
    try {
      return std::visit(
          [&](const auto& action) -> std::pair<std::string, Outcome> {
            using T = std::decay_t<decltype(action)>;
            if constexpr (std::is_same_v<T, CallStep>) {
              what = call_text(action.call, vars);
              return {what, call(action.call, vars, tally, quiet)};
            } else if constexpr (std::is_same_v<T, EventuallyStep>) {
              what = "eventually " + call_text(action.call, vars);
              return {what, eventually(action, vars, quiet)};
            } else if constexpr (std::is_same_v<T, EventStep>) {
              what = event_text("event", action.context, action.type, action.where, vars);
              return {what, event(action, vars)};
            } else if constexpr (std::is_same_v<T, NoEventStep>) {
              what = event_text("no_event", action.context, action.type, action.where, vars);
              return {what, no_event(action, vars)};
            } else if constexpr (std::is_same_v<T, RepeatStep>) {
              what =
                  "repeat " + std::to_string(action.times) +
                  (action.concurrency > 1 ? " (" + std::to_string(action.concurrency) + " at once)"
                                          : std::string());
              return {what, repeat(action, vars)};
            } else if constexpr (std::is_same_v<T, SayStep>) {
              // Narration alone has nothing to run; play() prints it and moves on.
              return {what, Outcome{}};
            } else {
              return control(action);
            }
          },
          s.action);
    } catch (const std::exception& e) {
      // A variable a failed round never saved, or the system unable to say where it is.
      return {what, Outcome::failed("", {{"cannot", e.what()}})};
    }
  }

  static std::string call_text(const CallSpec& spec, const Vars& vars) {
    std::string text = spec.method + " " + substitute_text(spec.target, vars, true);
    if (!spec.to.empty()) text += " (" + spec.to + " directly)";
    return text;
  }

  static std::string event_text(const std::string& action, const std::string& context,
                                const std::string& type, const std::optional<Json>& where,
                                const Vars& vars) {
    std::string text = action + " " + context + "." + type;
    if (where) text += " " + short_json(substitute(*where, vars), 80);
    return text;
  }

  Answer send(const CallSpec& spec, const Vars& vars, Millis timeout) {
    const std::string base = spec.to.empty() ? system_.gateway_url() : system_.service_url(spec.to);
    const std::string path = substitute_text(spec.target, vars, true);
    if (!path.starts_with('/'))
      throw std::runtime_error("the path '" + path + "' does not start with /");
    const std::string url = base + path;
    http::ClientRequest request;
    // Commands answer 415 to a body that is not JSON, an absent one included.
    const bool sends_body = spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
    if (spec.body || sends_body) {
      request = http::ClientRequest::json(
          spec.method, url, spec.body ? substitute(*spec.body, vars) : json::object());
    } else {
      request.method = spec.method;
      request.url = url;
    }
    request.timeout = timeout;
    if (spec.as) {
      // The loader keeps the subject and roles as text: a saved number becomes its digits.
      std::vector<std::string> roles;
      for (const auto& role : spec.as->roles)
        roles.push_back(substitute_text(role.get_string(), vars));
      request.headers.set(
          "Authorization",
          "Bearer " + system_.token(substitute_text(spec.as->subject.get_string(), vars), roles));
    }
    for (const auto& [name, value] : spec.headers)
      request.headers.set(name, substitute_text(value.get_string(), vars));
    const auto began = Clock::now();
    auto result = client_.call(request);
    Answer answer;
    answer.elapsed = since(began);
    if (!result) {
      answer.error =
          std::string(http::to_string(result.error().code)) + ": " + result.error().message;
      return answer;
    }
    answer.answered = true;
    answer.status = result->status;
    answer.headers = result->headers;
    if (!result->body.empty()) {
      boost::system::error_code ec;
      answer.body = json::parse(result->body, ec);
      if (ec) answer.body = Json(result->body);
    }
    return answer;
  }

  static std::string answer_text(const Answer& answer, std::size_t limit) {
    if (!answer.answered) return "no answer (" + answer.error + ")";
    std::string text = std::to_string(answer.status);
    if (!answer.body.is_null()) text += " " + short_json(answer.body, limit);
    return text;
  }

  // Why the answer does not meet the expectation (and saves what it should); empty when it
  // does.
  static std::vector<std::pair<std::string, std::string>> verify(const CallSpec& spec,
                                                                 const Answer& answer,
                                                                 const Vars& vars, Vars& saved) {
    if (!answer.answered) return {{"got", "no answer: " + answer.error}};
    const auto& expect = spec.expect;
    auto with_answer = [&](std::vector<std::pair<std::string, std::string>> details) {
      if (!answer.body.is_null()) details.emplace_back("answer", pretty_json(answer.body));
      return details;
    };
    bool status_ok = answer.status >= 200 && answer.status < 300;
    std::string wanted = "a 2xx status";
    if (expect.status) {
      const Json want = *expect.status;
      const Json got(static_cast<std::int64_t>(answer.status));
      if (want.is_array()) {
        status_ok = std::any_of(want.get_array().begin(), want.get_array().end(),
                                [&](const Json& code) { return !match(code, &got, "status"); });
      } else {
        status_ok = !match(want, &got, "status");
      }
      wanted = "status " + short_json(want);
    }
    if (!status_ok) {
      return with_answer({{"expected", wanted}, {"got", std::to_string(answer.status)}});
    }
    if (expect.body) {
      if (auto m = match(substitute(*expect.body, vars), &answer.body, "body"))
        return with_answer({{"expected", m->path + " = " + m->expected}, {"got", m->got}});
    }
    if (expect.headers) {
      const Json headers = substitute(*expect.headers, vars);
      for (const auto& [name, want] : headers.get_object()) {
        const auto value = answer.headers.get(name);
        const Json got = value ? Json(std::string(*value)) : Json();
        if (auto m = match(want, value ? &got : nullptr, "headers." + std::string(name)))
          return {{"expected", m->path + " = " + m->expected}, {"got", m->got}};
      }
    }
    for (const auto& save : spec.save) {
      const std::string& root = save.path.front();
      std::optional<Json> value;
      if (root == "status") {
        value = Json(static_cast<std::int64_t>(answer.status));
      } else if (root == "headers") {
        if (auto header = answer.headers.get(save.path[1])) value = Json(std::string(*header));
      } else if (const Json* found = find_path(answer.body, std::span(save.path).subspan(1))) {
        value = *found;
      }
      std::string path;
      for (const auto& part : save.path) path += (path.empty() ? "" : ".") + part;
      if (!value)
        return with_answer({{"cannot", "save " + save.name + ": the answer has no " + path}});
      saved[save.name] = std::move(*value);
    }
    return {};
  }

  Outcome call(const CallSpec& spec, Vars& vars, Tally* tally, bool quiet) {
    if (!quiet && report_.narrating()) {
      report_.request(spec.method + " " + substitute_text(spec.target, vars, true) +
                      (spec.body ? " " + short_json(substitute(*spec.body, vars), 100) : ""));
    }
    const Answer answer = send(spec, vars, call_timeout);
    if (!quiet) report_.answer(answer_text(answer, 100));
    auto problems = verify(spec, answer, vars, vars);
    if (tally) tally->add(answer, problems.empty());
    if (!problems.empty()) return Outcome::failed(answer_text(answer, 60), std::move(problems));
    return {true, answer_text(answer, 60), {}};
  }

  Outcome eventually(const EventuallyStep& step, Vars& vars, bool quiet) {
    const Millis within = step.within.value_or(options_.default_within);
    const auto deadline = Clock::now() + within;
    int tries = 0;
    for (;;) {
      const auto began = Clock::now();
      const auto left = std::chrono::duration_cast<Millis>(deadline - began);
      const Answer answer = send(step.call, vars, std::clamp(left, poll_interval, call_timeout));
      ++tries;
      Vars saved = vars;
      auto problems = verify(step.call, answer, vars, saved);
      if (problems.empty()) {
        vars = std::move(saved);
        if (!quiet) {
          report_.request(call_text(step.call, vars));
          report_.answer(answer_text(answer, 100));
        }
        return {true,
                answer_text(answer, 60) +
                    (tries > 1 ? " after " + std::to_string(tries) + " tries" : std::string()),
                {}};
      }
      if (Clock::now() >= deadline) {
        problems.insert(problems.begin(),
                        {"waited", duration_text(within) + ", " + std::to_string(tries) +
                                       " tries; the last answer:"});
        return Outcome::failed(answer_text(answer, 60), std::move(problems));
      }
      std::this_thread::sleep_until(std::min(began + poll_interval, deadline));
    }
  }

  // --- events ----------------------------------------------------------------------------

  bool matches(const SeenEvent& seen, const std::string& context, const std::string& type,
               const std::optional<Json>& where) const {
    return seen.context == context && seen.type == type &&
           (!where || !match(*where, &seen.data, "event"));
  }

  // Whether the event reader is there and reading, so a step's `within` measures the system,
  // not the reader joining its group.
  std::optional<Outcome> no_reader() const {
    std::string why = events_error_;
    if (events_ && events_->wait_assigned(Clock::now() + options_.default_within, why))
      return std::nullopt;
    return Outcome::failed("", {{"cannot", "read the system's events: " + why}});
  }

  std::optional<Outcome> catch_up() {
    std::string why;
    if (events_->catch_up(Clock::now() + options_.default_within, why)) return std::nullopt;
    return Outcome::failed("", {{"cannot", "read every event published so far: " + why}});
  }

  // Why the events of that type seen so far are not the one wanted, for a failure.
  std::vector<std::pair<std::string, std::string>> near_misses(const std::string& context,
                                                               const std::string& type,
                                                               const std::optional<Json>& where) {
    const auto all = events_->all();
    std::vector<const SeenEvent*> same;
    for (const auto& seen : all) {
      if (seen.context == context && seen.type == type) same.push_back(&seen);
    }
    if (same.empty()) {
      return {{"got", "no " + context + "." + type + " among the " + std::to_string(all.size()) +
                          " events read"}};
    }
    std::vector<std::pair<std::string, std::string>> details = {
        {"got", std::to_string(same.size()) + " " + type + " events, none matching; the last:"},
        {"event", pretty_json(same.back()->data)}};
    if (where) {
      if (auto m = match(*where, &same.back()->data, "event"))
        details.emplace_back("differs", m->path + ": expected " + m->expected + ", got " + m->got);
    }
    return details;
  }

  static std::vector<std::pair<std::string, std::string>> save_event(const std::vector<Save>& saves,
                                                                     const SeenEvent& seen,
                                                                     Vars& vars) {
    for (const auto& save : saves) {
      const Json* value = find_path(seen.data, std::span(save.path).subspan(1));
      if (!value) {
        std::string path;
        for (const auto& part : save.path) path += (path.empty() ? "" : ".") + part;
        return {{"cannot", "save " + save.name + ": the event has no " + path},
                {"event", pretty_json(seen.data)}};
      }
      vars[save.name] = *value;
    }
    return {};
  }

  Outcome event(const EventStep& step, Vars& vars) {
    if (auto missing = no_reader()) return *missing;
    const std::optional<Json> where =
        step.where ? std::optional<Json>(substitute(*step.where, vars)) : std::nullopt;
    if (step.count) {
      if (auto late = catch_up()) return *late;
      std::set<std::string> ids;
      std::size_t copies = 0;
      const SeenEvent* first = nullptr;
      const auto all = events_->all();
      for (const auto& seen : all) {
        if (!matches(seen, step.context, step.type, where)) continue;
        ids.insert(seen.id);
        ++copies;
        if (!first) first = &seen;
      }
      const Json published(static_cast<std::int64_t>(ids.size()));
      std::string observed = std::to_string(ids.size()) + " published";
      if (copies > ids.size()) {
        observed += " (" + std::to_string(copies) + " copies on the wire, duplicates share an id)";
      }
      if (auto m = match(substitute(*step.count, vars), &published, "count"))
        return Outcome::failed(observed, {{"expected", "count = " + m->expected}, {"got", m->got}});
      if (!step.save.empty()) {
        if (!first)
          return Outcome::failed(observed, {{"cannot", "save from an event: none matched"}});
        auto problems = save_event(step.save, *first, vars);
        if (!problems.empty()) return Outcome::failed(observed, std::move(problems));
      }
      return {true, observed, {}};
    }
    const Millis within = step.within.value_or(options_.default_within);
    const auto deadline = Clock::now() + within;
    std::size_t from = 0;
    for (;;) {
      const auto fresh = events_->wait_after(from, deadline);
      from += fresh.size();
      for (const auto& seen : fresh) {
        if (!matches(seen, step.context, step.type, where)) continue;
        auto problems = save_event(step.save, seen, vars);
        if (!problems.empty()) return Outcome::failed("", std::move(problems));
        return {true, "published " + short_json(seen.data, 60), {}};
      }
      if (fresh.empty() && Clock::now() >= deadline) {
        auto details = near_misses(step.context, step.type, where);
        details.insert(details.begin(), {"waited", duration_text(within)});
        return Outcome::failed("not published", std::move(details));
      }
    }
  }

  Outcome no_event(const NoEventStep& step, const Vars& vars) {
    if (auto missing = no_reader()) return *missing;
    if (auto late = catch_up()) return *late;
    const std::optional<Json> where =
        step.where ? std::optional<Json>(substitute(*step.where, vars)) : std::nullopt;
    for (const auto& seen : events_->all()) {
      if (matches(seen, step.context, step.type, where)) {
        return Outcome::failed("published",
                               {{"expected", "no such event"}, {"got", pretty_json(seen.data)}});
      }
    }
    return {true, "none published", {}};
  }

  // --- repeat ----------------------------------------------------------------------------

  Outcome repeat(const RepeatStep& step, Vars& vars) {
    Tally tally;
    std::atomic<int> next{1};
    std::atomic<bool> stop{false};
    std::mutex failure_mutex;
    std::optional<std::tuple<int, Position, std::string, Outcome>> failure;
    std::optional<Vars> last_round;
    const bool tallied = step.tally.has_value();
    auto rounds = [&] {
      for (int i; !stop && (i = next++) <= step.times;) {
        Vars round = vars;
        round["i"] = Json(static_cast<std::int64_t>(i));
        for (const auto& inner : step.steps) {
          if (stop) return;
          auto [what, outcome] = run_step(inner, round, &tally, true);
          if (outcome.held) continue;
          // Under a tally a call that did not hold is counted, and its round ends there.
          if (tallied && std::holds_alternative<CallStep>(inner.action)) break;
          std::lock_guard lock(failure_mutex);
          if (!failure) failure.emplace(i, inner.where, what, std::move(outcome));
          stop = true;
          return;
        }
        if (i == step.times) {
          std::lock_guard lock(failure_mutex);
          last_round = std::move(round);
        }
      }
    };
    std::vector<std::thread> workers;
    for (int k = 1; k < std::min(step.concurrency, step.times); ++k) workers.emplace_back(rounds);
    rounds();
    for (auto& worker : workers) worker.join();
    const Json counts = tally.to_json();
    std::string observed =
        std::to_string(std::min(next.load() - 1, step.times)) + " rounds, " + tally.text();
    if (failure) {
      auto& [i, where, what, outcome] = *failure;
      auto details = outcome.details;
      details.insert(details.begin(),
                     {"round " + std::to_string(i),
                      what + " (line " + std::to_string(where.line) + ") → " + outcome.observed});
      return Outcome::failed(observed, std::move(details));
    }
    // The last round's saves outlive the repeat, whichever round finished last.
    if (last_round) {
      last_round->erase("i");
      for (auto& [name, value] : *last_round) vars[name] = std::move(value);
    }
    if (tallied) {
      if (auto m = match(substitute(*step.tally, vars), &counts, "tally"))
        return Outcome::failed(observed, {{"expected", m->path + " = " + m->expected},
                                          {"got", m->got},
                                          {"tally", pretty_json(counts)}});
    }
    return {true, observed, {}};
  }

  // --- the system --------------------------------------------------------------------------

  template <typename Action>
  std::pair<std::string, Outcome> control(const Action& action) {
    std::string what;
    std::string observed;
    auto apply = [&](auto&& effect) -> std::pair<std::string, Outcome> {
      try {
        effect();
      } catch (const std::exception& e) {
        return {what, Outcome::failed("", {{"cannot", e.what()}})};
      }
      return {what, {true, observed, {}}};
    };
    if constexpr (std::is_same_v<Action, FaultStep>) {
      static constexpr const char* verbs[] = {"stop", "kill", "start", "restart"};
      static constexpr const char* done[] = {"stopped", "killed", "ready", "ready again"};
      const auto k = static_cast<std::size_t>(action.fault);
      what = std::string(verbs[k]) + " " + action.context;
      observed = done[k];
      return apply([&] {
        switch (action.fault) {
          case Fault::stop:
            system_.stop(action.context);
            break;
          case Fault::kill:
            system_.kill(action.context);
            break;
          case Fault::start:
            system_.start(action.context);
            break;
          case Fault::restart:
            system_.restart(action.context);
            break;
        }
      });
    } else if constexpr (std::is_same_v<Action, SettleStep>) {
      what = "settle";
      observed = "quiet";
      return apply([&] { system_.settle(action.deadline); });
    } else if constexpr (std::is_same_v<Action, SharesWorkStep>) {
      what = "shares_work " + action.context;
      std::vector<std::pair<std::string, std::int64_t>> counts;
      try {
        counts = system_.handled_by_replica(action.context);
      } catch (const std::exception& e) {
        return {what, Outcome::failed("", {{"cannot", e.what()}})};
      }
      std::vector<std::string> split;
      bool every_one = counts.size() >= 2;
      for (const auto& [replica, handled] : counts) {
        split.push_back(replica + " handled " + std::to_string(handled));
        every_one = every_one && handled > 0;
      }
      observed = split.empty() ? "no replica running" : runtime::text::join(split, ", ");
      if (every_one) return {what, {true, observed, {}}};
      return {what, Outcome::failed(
                        observed, {{"expected", counts.size() < 2 ? "two replicas or more running"
                                                                  : "every replica to have handled "
                                                                    "events"}})};
    } else if constexpr (std::is_same_v<Action, ScaleStep>) {
      what = "scale";
      for (const auto& [context, n] : action.replicas)
        what += " " + context + " to " + std::to_string(n);
      observed = "ready";
      return apply([&] {
        for (const auto& [context, n] : action.replicas) system_.scale(context, n);
      });
    } else if constexpr (std::is_same_v<Action, SlowStep>) {
      what = "slow";
      for (const auto& [context, delay] : action.delays)
        what += " " + context + " by " + duration_text(delay);
      return apply([&] {
        for (const auto& [context, delay] : action.delays) system_.slow(context, delay);
      });
    } else if constexpr (std::is_same_v<Action, ConfigureStep>) {
      what = "configure";
      for (const auto& s : action.settings)
        what += " " + s.context + " " + s.variable + "=" + s.value;
      observed = "for the next start";
      return apply([&] {
        for (const auto& s : action.settings) system_.configure(s.context, s.variable, s.value);
      });
    } else {
      static_assert(std::is_same_v<Action, BrokerStep>);
      what = action.up ? "broker up" : "broker down";
      return apply([&] { action.up ? system_.broker_up() : system_.broker_down(); });
    }
  }

  const ScenarioData& data_;
  SystemControl& system_;
  const PlayOptions& options_;
  Report report_;
  http::Client client_;
  Vars vars_;
  std::unique_ptr<EventLog> events_;
  std::string events_error_;
  std::size_t shown_events_ = 0;
  std::vector<std::string> contexts_;
  // Where each context's counts were last read, and what they were.
  struct HandledReading {
    std::string url;
    HandledCounts counts;
  };
  std::map<std::string, HandledReading> handled_;
};

}  // namespace

bool play(const Scenario& scenario, SystemControl& system, const PlayOptions& options) {
  return Player(scenario.data(), system, options).play();
}

}  // namespace eskit::run
