# The classroom page's browser test (web/tests/page.test.mjs), registered when the page is
# built (scripts/web) and Debian's chromium, node and playwright-core are present.
find_program(MORSIM_NODE node)
set(MORSIM_WEB_DIST ${PROJECT_SOURCE_DIR}/web/dist)
if(MORSIM_NODE AND EXISTS /usr/bin/chromium AND EXISTS ${MORSIM_WEB_DIST}/morsim.js
   AND EXISTS ${PROJECT_SOURCE_DIR}/web/node_modules/playwright-core)
  add_test(NAME web.page COMMAND ${MORSIM_NODE} ${PROJECT_SOURCE_DIR}/web/tests/page.test.mjs
           ${MORSIM_WEB_DIST} $<TARGET_FILE:morsim> WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(web.page PROPERTIES TIMEOUT 300 LABELS web)
else()
  message(STATUS "web.page test skipped: run scripts/web (needs chromium) to build the page")
endif()
