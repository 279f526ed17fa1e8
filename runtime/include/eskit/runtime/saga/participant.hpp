#pragma once
// The participant side of a saga: a context's inbox handler for the commands sagas send it. A
// command runs inside the inbox's unit of work (so a redelivered command never runs twice) and
// its reply event is appended to the context's outbox in that same unit of work, with the
// command's correlation id and the command as its cause — the only thing an orchestrator or a
// choreography tracker needs to match it.
//
//   saga::Participant payment("payment", "payment.events");
//   payment.on("ApprovePayment", [&](db::UnitOfWork& uow, const messaging::Envelope& command) {
//     ...  // the context's own writes
//     return saga::Reply{"PaymentApproved", R"({"paymentId":"p-1"})"};
//   });
//   messaging::InboxConsumer commands(db, consumer, {"payment.commands"}, payment.handler(),
//                                     {.accepted_types = payment.command_types()});
#include <functional>
#include <map>
#include <set>
#include <string>

#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"

namespace eskit::runtime::saga {

// The event a command handler answers with; its payload is a JSON object.
struct Reply {
  std::string event_type;
  std::string payload = "{}";
};

class Participant {
 public:
  using CommandHandler = std::function<Reply(db::UnitOfWork&, const messaging::Envelope&)>;

  // `source`: this context's name (the replies' source); `reply_topic`: its events topic.
  Participant(std::string source, std::string reply_topic);

  // Registers the handler of one command type; throws std::invalid_argument for a second one.
  Participant& on(std::string command_type, CommandHandler handler);

  // Runs the command's handler and appends its reply. Throws std::invalid_argument for a
  // command type nobody registered (the inbox dead-letters it after its attempts).
  void handle(db::UnitOfWork& uow, const messaging::Envelope& command) const;
  messaging::InboxConsumer::Handler handler() const;
  // For InboxOptions::accepted_types: anything else is dead-lettered at once.
  std::set<std::string> command_types() const;

 private:
  std::string source_;
  std::string reply_topic_;
  std::map<std::string, CommandHandler> handlers_;
};

}  // namespace eskit::runtime::saga
