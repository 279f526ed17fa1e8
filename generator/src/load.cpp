#include "eskit/model/load.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace eskit::model {

std::variant<std::shared_ptr<const SourceFile>, ReadFailure> read_source(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return ReadFailure{path + ": error: no such file"};
  if (fs::is_directory(status)) {
    return ReadFailure{path + ": error: is a directory; pass the model file, e.g. " +
                       (fs::path(path) / "model.yaml").string()};
  }
  if (!fs::is_regular_file(status)) return ReadFailure{path + ": error: not a regular file"};
  auto size = fs::file_size(path, ec);
  if (!ec && size > max_model_bytes) {
    std::ostringstream msg;
    msg << path << ": error: the file is " << (size >> 20) << " MB; eskit reads model files up to "
        << (max_model_bytes >> 20) << " MB";
    return ReadFailure{msg.str()};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadFailure{path + ": error: cannot open: " + std::strerror(errno)};
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return std::make_shared<const SourceFile>(path, std::move(text));
}

std::shared_ptr<const Model> load_model(std::shared_ptr<const SourceFile> source,
                                        Diagnostics& diagnostics) {
  // Structural errors come first, all at once; the semantic checks run on a sound structure
  // only, so a typo in a key never causes a cascade of follow-up errors.
  std::size_t errors_before = diagnostics.error_count();
  std::unique_ptr<Model> model = parse_model(std::move(source), diagnostics);
  if (model && diagnostics.error_count() == errors_before) check_model(*model, diagnostics);
  diagnostics.sort();
  return std::shared_ptr<const Model>(std::move(model));
}

}  // namespace eskit::model
