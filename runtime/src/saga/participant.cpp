#include "eskit/runtime/saga/participant.hpp"

#include <stdexcept>

#include "eskit/runtime/messaging/outbox.hpp"

namespace eskit::runtime::saga {

Participant::Participant(std::string source, std::string reply_topic)
    : source_(std::move(source)), reply_topic_(std::move(reply_topic)) {
  if (source_.empty() || reply_topic_.empty())
    throw std::invalid_argument("saga participant: source and reply topic must not be empty");
}

Participant& Participant::on(std::string command_type, CommandHandler handler) {
  if (!handler)
    throw std::invalid_argument("saga participant " + source_ + ": an empty handler for " +
                                command_type);
  const auto name = command_type;
  if (!handlers_.emplace(std::move(command_type), std::move(handler)).second)
    throw std::invalid_argument("saga participant " + source_ + " has a handler for " + name +
                                " already");
  return *this;
}

void Participant::handle(db::UnitOfWork& uow, const messaging::Envelope& command) const {
  const auto found = handlers_.find(command.event_type);
  if (found == handlers_.end())
    throw std::invalid_argument("saga participant " + source_ + " has no handler for command '" +
                                command.event_type + "' (from " + command.source + ")");
  const auto reply = found->second(uow, command);
  if (reply.event_type.empty())
    throw std::invalid_argument("saga participant " + source_ + ": the handler of " +
                                command.event_type + " replied without an event type");
  // The reply keeps the saga's correlation id and key and names the command as its cause.
  messaging::Outbox::append(
      uow,
      messaging::Envelope::make(reply.event_type, source_, command.aggregate_id, reply.payload,
                                command.correlation_id, command.event_id),
      reply_topic_);
}

messaging::InboxConsumer::Handler Participant::handler() const {
  // A copy: the handler outlives the Participant that built it, as generated code expects.
  return [self = *this](db::UnitOfWork& uow, const messaging::Envelope& command) {
    self.handle(uow, command);
  };
}

std::set<std::string> Participant::command_types() const {
  std::set<std::string> types;
  for (const auto& [type, handler] : handlers_) types.insert(type);
  return types;
}

}  // namespace eskit::runtime::saga
