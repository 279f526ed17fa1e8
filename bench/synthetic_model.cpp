#include "synthetic_model.hpp"

#include <sstream>

namespace eskit::bench {

namespace {

void aggregates(std::ostringstream& y, const ModelSize& size) {
  y << "    aggregates:\n";
  for (int a = 0; a < size.aggregates_per_context; ++a) {
    std::string A = "Item" + std::to_string(a);
    y << "      " << A << ":\n        id: itemId\n        fields:\n"
      << "          itemId: long\n          ownerId: long\n          title: string\n"
         "          amount: long\n";
    if (size.rich) y << "          tags: list<string>\n          note: string?\n";
    y << "        lifecycle:\n          initial: OPEN\n          transitions:\n";
    if (size.rich) {
      y << "            - { from: OPEN, to: APPROVED, by: Approve" << A << " }\n"
        << "            - { from: [OPEN, APPROVED], to: CLOSED, by: Close" << A << " }\n";
    } else {
      y << "            - { from: OPEN, to: CLOSED, by: Close" << A << " }\n";
    }
  }
}

void commands(std::ostringstream& y, const ModelSize& size) {
  y << "    commands:\n";
  for (int a = 0; a < size.aggregates_per_context; ++a) {
    std::string A = "Item" + std::to_string(a);
    std::string path = "/items" + std::to_string(a);
    y << "      Open" << A << ":\n        aggregate: " << A << "\n        kind: create\n"
      << "        actor: Clerk\n        http: POST " << path << "\n"
      << (size.rich ? "        input: { ownerId: long, title: string, amount: long, tags: "
                      "list<string> }\n"
                    : "        input: { ownerId: long, title: string, amount: long }\n")
      << "        preconditions:\n          - check: amount > 0 and amount <= config.limit * 1000\n"
      << "            message: the amount must be positive and within the limit\n"
      << "        roles: [CLERK]\n        emits: [" << A << "Opened]\n";
    if (size.rich) {
      y << "        examples:\n          - name: opens\n"
        << "            when: { ownerId: 1, title: desk, amount: 5, tags: [a] }\n"
        << "            then:\n              - " << A << "Opened: { ownerId: 1 }\n"
        << "      Approve" << A << ":\n        aggregate: " << A << "\n        kind: change\n"
        << "        http: POST " << path << "/{itemId}/approval\n"
        << "        input: { itemId: long }\n        preconditions: [status == OPEN]\n"
        << "        roles: [ADMIN]\n        emits: [" << A << "Approved]\n";
    }
    y << "      Close" << A << ":\n        aggregate: " << A << "\n        kind: change\n"
      << (size.rich ? "        input: { itemId: long, reason: \"string?\" }\n        set: { note: "
                      "reason }\n"
                    : "        input: { itemId: long }\n")
      << "        emits: [" << A << "Closed]\n";
  }
}

void events(std::ostringstream& y, const ModelSize& size) {
  y << "    events:\n";
  for (int a = 0; a < size.aggregates_per_context; ++a) {
    std::string A = "Item" + std::to_string(a);
    y << "      " << A << "Opened:\n        aggregate: " << A << "\n        version: 1\n"
      << "        fields: { itemId: { type: long, correlation: true }, ownerId: long, title: "
         "string, "
         "amount: long }\n";
    if (size.rich) {
      y << "      " << A << "Approved:\n        aggregate: " << A << "\n"
        << "        fields: { itemId: { type: long, correlation: true }, status: "
           "\"enum[OPEN, APPROVED, CLOSED]\" }\n";
    }
    y << "      " << A << "Closed:\n        aggregate: " << A << "\n"
      << "        fields: { itemId: { type: long, correlation: true } }\n";
  }
}

// Each context closes its items when the previous context reports on the same item.
void policies(std::ostringstream& y, const ModelSize& size, int c) {
  if (c == 0) return;
  std::string prev = "ctx" + std::to_string(c - 1);
  y << "    policies:\n";
  for (int a = 0; a < size.aggregates_per_context; ++a) {
    std::string A = "Item" + std::to_string(a);
    y << "      Close" << A << "Upstream:\n        when: " << prev << "." << A
      << (size.rich ? "Approved\n        if: status == APPROVED\n" : "Closed\n")
      << "        then: Close" << A << "\n        correlate: { itemId: itemId }\n";
    if (size.rich) y << "        map: { reason: \"'approved upstream'\" }\n";
  }
}

void calls(std::ostringstream& y, const ModelSize& size, int c) {
  if (c + 1 >= size.contexts) return;
  std::string next = "ctx" + std::to_string(c + 1);
  y << "    calls:\n      CheckNext:\n        from: OpenItem0\n        to: " << next
    << ".OpenItem0\n        timeout: 500ms\n"
       "        breaker: { window: 20, min_calls: 10, failure_rate: 50, wait: 5s }\n"
       "        fallback: { kind: reject, message: try later }\n";
}

void views(std::ostringstream& y, const ModelSize& size) {
  y << "    views:\n      Board:\n        key: itemId\n"
       "        fields: { itemId: long, title: string, amount: long, approvals: int, "
       "status: string }\n        projections:\n";
  for (int a = 0; a < size.aggregates_per_context; ++a) {
    std::string A = "Item" + std::to_string(a);
    y << "          - { on: " << A << "Opened, do: upsert, where: { itemId: itemId }, "
      << "set: { title: title, amount: amount, status: \"'OPEN'\" } }\n";
    if (size.rich) {
      y << "          - { on: " << A << "Approved, do: update, where: { itemId: itemId }, "
        << "increment: [approvals], set: { status: status } }\n";
    }
  }
  y << "        queries:\n          BoardItem: { http: \"GET /boards/{itemId}\" }\n"
       "          BoardItems: { http: GET /boards, filter: [status] }\n";
}

}  // namespace

std::string synthetic_model(ModelSize size) {
  std::ostringstream y;
  y << "model: synthetic\nversion: 1.0.0\nactors:\n  Clerk: works the desk\nroles: [CLERK, ADMIN]\n"
       "contexts:\n";
  for (int c = 0; c < size.contexts; ++c) {
    y << "  ctx" << c << ":\n    kind: "
      << (c % 3 == 0   ? "core"
          : c % 3 == 1 ? "supporting"
                       : "generic")
      << "\n    storage: " << (c % 4 == 0 ? "postgresql" : "sqlite")
      << "\n    config:\n      limit: { type: long, default: 100 }\n";
    aggregates(y, size);
    commands(y, size);
    events(y, size);
    policies(y, size, c);
    calls(y, size, c);
    views(y, size);
  }
  return y.str();
}

}  // namespace eskit::bench
