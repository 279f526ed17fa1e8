#pragma once
// Reading one eskit_saga_instances row, shared by SagaStore::find (with the history) and the
// engine (without it: a transition needs the row only, however long the history grew).
#include <optional>
#include <string_view>

#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/saga/instance.hpp"

namespace eskit::runtime::saga::detail {

// Throws std::runtime_error for a state the runtime does not know (a newer version wrote it).
std::optional<SagaInstance> load_instance_row(db::UnitOfWork& uow, std::string_view saga,
                                              std::string_view correlation_id);

}  // namespace eskit::runtime::saga::detail
