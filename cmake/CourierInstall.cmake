include(CMakePackageConfigHelpers)

install(DIRECTORY include/courier DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS courier EXPORT courierTargets)
install(EXPORT courierTargets NAMESPACE courier:: FILE courierTargets.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
# courier::sqlite gets an export file of its own, which courierConfig.cmake loads only when the
# consumer's machine has SQLite too.
if(TARGET courier_sqlite)
  install(TARGETS courier_sqlite EXPORT courierSqliteTargets)
  install(EXPORT courierSqliteTargets NAMESPACE courier:: FILE courierSqliteTargets.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
endif()
if(TARGET courier_openssl)
  install(TARGETS courier_openssl EXPORT courierOpensslTargets)
  install(EXPORT courierOpensslTargets NAMESPACE courier:: FILE courierOpensslTargets.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
endif()
if(TARGET courier_websocket)
  install(TARGETS courier_websocket EXPORT courierWebsocketTargets)
  install(EXPORT courierWebsocketTargets NAMESPACE courier:: FILE courierWebsocketTargets.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/courierConfig.cmake.in
  ${PROJECT_BINARY_DIR}/courierConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/courierConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/courierConfig.cmake ${PROJECT_BINARY_DIR}/courierConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/CourierDependencies.cmake ${PROJECT_SOURCE_DIR}/cmake/CourierCompiled.cmake
              ${PROJECT_SOURCE_DIR}/cmake/CourierBrowser.cmake ${PROJECT_SOURCE_DIR}/cmake/courier_browser_page.html.in
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/courier)
# courier_add_browser_client's libsodium source comes from this script (named in its error).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/fetch-sodium-source.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/courier)
