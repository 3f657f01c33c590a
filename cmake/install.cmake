# What `cmake --install` and `cpack` ship: the CLI, libbertcls.so and .a, the public
# headers, a CMake package (find_package(bertcls CONFIG)), bertcls.pc and the bundled
# preset. Every path is relative to the prefix, so a tree installed anywhere works.
include(CMakePackageConfigHelpers)
set(BERTCLS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bertcls)

install(TARGETS bertcls RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS bertcls_shared bertcls_static EXPORT bertclsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/bertcls DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
# The bundled presets: shapes (and rubert-tiny2's tokenizer) for training from scratch.
install(DIRECTORY data/rubert-tiny2 data/bert-tiny data/bert-mini data/bert-small
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bertcls)

install(EXPORT bertclsTargets NAMESPACE bertcls:: DESTINATION ${BERTCLS_CMAKE_DIR})
configure_package_config_file(cmake/bertclsConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/bertclsConfig.cmake
                              INSTALL_DESTINATION ${BERTCLS_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/bertclsConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bertclsConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/bertclsConfigVersion.cmake
        DESTINATION ${BERTCLS_CMAKE_DIR})

file(RELATIVE_PATH BERTCLS_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" BERTCLS_PC_TO_PREFIX "${BERTCLS_PC_TO_PREFIX}")
# Open MPI's pkg-config module, for the static library's users.
set(BERTCLS_PC_MPI "")
if(BERTCLS_WITH_MPI)
  set(BERTCLS_PC_MPI ompi-c)
endif()
configure_file(cmake/bertcls.pc.in ${CMAKE_CURRENT_BINARY_DIR}/bertcls.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bertcls.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
