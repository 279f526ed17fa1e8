// A command's given / when / then examples as the generated tests need them: each event and
// the input as JSON text typed by the model (a `long` is a number, a `date` a string), so a
// test builds them with the same strict reading a service applies to what it receives.
#pragma once

#include "eskit/model/model.hpp"
#include "eskit/template/value.hpp"

namespace eskit::generate {

/// The examples of `command` (of `context`): `name`, `test` (a unique PascalCase test name),
/// `given` and `then` (lists of `event` (PascalCase) and `json`), `when` (JSON), `rejects` (the
/// reason, or null), and `reason_is_known` (the reason is one of the command's precondition
/// messages, so the test can compare it; other refusals come from the lifecycle or a rule).
tmpl::List examples_view(const model::Context& context, const model::Command& command);

}  // namespace eskit::generate
