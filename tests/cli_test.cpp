// The command line as a user meets it: exit codes and the first lines it prints.
#include <gtest/gtest.h>

#include "support/cli_runner.h"

namespace {

TEST(Cli, VersionPrintsProjectVersionAndExitsZero) {
  auto r = bertcls::test::run_cli("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string(BERTCLS_VERSION) + "\n");
}

TEST(Cli, NoSubcommandIsAnErrorWithUsage) {
  auto r = bertcls::test::run_cli("");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("subcommand"), std::string::npos) << r.err;
}

}  // namespace
