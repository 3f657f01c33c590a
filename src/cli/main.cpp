#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "common/error.h"
#include "common/version.h"

int main(int argc, char** argv) {
  CLI::App app{"bertcls: fine-tune, evaluate and serve BERT text classifiers on a CPU"};
  app.set_version_flag("--version", bertcls::version());
  app.require_subcommand(1);
  bertcls::cli::add_train_command(app);
  bertcls::cli::add_eval_command(app);
  bertcls::cli::add_tokenize_command(app);
  bertcls::cli::add_download_command(app);
  bertcls::cli::add_predict_command(app);
  bertcls::cli::add_serve_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Library errors already name their file/line/field; print them once, plainly.
    std::fprintf(stderr, "bertcls: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
