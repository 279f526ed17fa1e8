// eskit-broker: a Kafka-protocol broker for local runs and tests (the `eskit broker` command).
// Starts the embedded broker, announces its bootstrap address on stdout and, if asked, in a
// file, and serves until SIGINT or SIGTERM. SIGUSR1 takes every broker down (an outage:
// clients cannot connect) and SIGUSR2 brings them back up; what they hold is kept.

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/kafka/kafka_error.hpp"

namespace {

namespace kafka = eskit::runtime::kafka;

kafka::TopicSpec parse_topic(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return {text, 1};
  kafka::TopicSpec topic{text.substr(0, colon), 0};
  const std::string count = text.substr(colon + 1);
  std::size_t used = 0;
  try {
    topic.partitions = std::stoi(count, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (topic.name.empty() || used != count.size() || topic.partitions < 1)
    throw CLI::ValidationError("--topic", "expected name:partitions, got '" + text + "'");
  return topic;
}

// Write-then-rename, so a reader polling for the file never sees it half written.
void write_address_file(const std::filesystem::path& path, const std::string& address) {
  auto temporary = path;
  temporary += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << address << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eskit-broker: an in-memory Kafka-protocol broker on 127.0.0.1"};
  int brokers = 1;
  std::string address_file;
  std::vector<std::string> topic_texts;
  app.add_option("--brokers", brokers, "number of brokers")->check(CLI::Range(1, 16));
  app.add_option("--address-file", address_file,
                 "write the bootstrap address to this file once the broker is listening");
  app.add_option("--topic", topic_texts, "create a topic, as name:partitions (repeatable)");
  try {
    app.parse(argc, argv);
    kafka::EmbeddedBrokerOptions options{brokers, {}};
    for (const auto& text : topic_texts) options.topics.push_back(parse_topic(text));

    // Block the handled signals before the broker starts its threads (they inherit the mask),
    // so only sigwait below ever receives them and everything they do runs on this thread.
    sigset_t handled;
    sigemptyset(&handled);
    for (int number : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2}) sigaddset(&handled, number);
    pthread_sigmask(SIG_BLOCK, &handled, nullptr);

    kafka::EmbeddedBroker broker(options);
    if (!address_file.empty()) write_address_file(address_file, broker.bootstrap_servers());
    std::cout << broker.bootstrap_servers() << std::endl;

    for (int received = 0; sigwait(&handled, &received) == 0;) {
      if (received == SIGUSR1) {
        broker.set_down();
        std::cout << "brokers down (SIGUSR1): connections are refused until SIGUSR2" << std::endl;
      } else if (received == SIGUSR2) {
        broker.set_up();
        std::cout << "brokers up (SIGUSR2)" << std::endl;
      } else {
        break;
      }
    }
    // A stale file would point the next reader at a dead port.
    if (!address_file.empty()) std::filesystem::remove(address_file);
    return 0;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  } catch (const std::exception& error) {
    std::cerr << "eskit-broker: " << error.what() << '\n';
    return 1;
  }
}
