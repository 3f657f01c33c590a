# `cpack -G DEB` in the build folder: bertcls_VERSION_amd64.deb with everything
# install.cmake installs, under /usr. dpkg-shlibdeps computes Depends from what the
# binary and libbertcls.so link (OpenBLAS, libcurl, libgomp, ...).
set(CPACK_PACKAGE_NAME bertcls)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Fine-tune, evaluate and serve BERT text classifiers on CPU")
set(CPACK_PACKAGE_DESCRIPTION "bertcls fine-tunes, evaluates and serves BERT text classifiers from
Hugging Face checkpoints on a plain CPU, with no Python. This package holds the
bertcls command, libbertcls (shared and static), its C and C++ headers, a CMake
package and a pkg-config file.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "bertcls developers <bertcls@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
