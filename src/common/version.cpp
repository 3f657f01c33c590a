#include <bertcls/version.h>

namespace bertcls {

const char* version() { return BERTCLS_VERSION; }

}  // namespace bertcls
