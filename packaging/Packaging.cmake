# Installation layout and the Debian package (cpack -G DEB in the build folder; the test
# package.deb builds and checks it). Paths below are the ones the programs search:
#   bin/foldbench, bin/foldbench-cli
#   lib/foldbench/libfoldbench_spm.so, foldbench-spm-train (found from the program's own path)
#   share/foldbench/sample/*.tsv, share/foldbench/presets/*.json
#   share/applications, share/metainfo, share/icons/hicolor, share/man/man1
include(GNUInstallDirs)
set(FOLDBENCH_APP_ID io.github.foldbench.Foldbench)

install(TARGETS foldbench_spm foldbench-spm-train
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/foldbench
        RUNTIME DESTINATION ${CMAKE_INSTALL_LIBDIR}/foldbench)
install(FILES resources/sample/train.tsv resources/sample/test.tsv resources/sample/labels.tsv
        DESTINATION ${CMAKE_INSTALL_DATADIR}/foldbench/sample)

set(generated ${CMAKE_BINARY_DIR}/packaging)
set(generated_files)

# The desktop entry, AppStream data and icons belong to the window: a headless build
# (FOLDBENCH_BUILD_GUI=OFF) installs neither them nor its fonts.
if(FOLDBENCH_BUILD_GUI)
  install(FILES packaging/${FOLDBENCH_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES packaging/${FOLDBENCH_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES packaging/icons/${FOLDBENCH_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

  # PNG icons rendered from the SVG, the one drawing of the icon.
  find_program(RSVG_CONVERT rsvg-convert)
  if(RSVG_CONVERT)
    foreach(size 16 24 32 48 64 128 256)
      set(png ${generated}/icons/${size}/${FOLDBENCH_APP_ID}.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}/icons/${size}
        COMMAND ${RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${PROJECT_SOURCE_DIR}/packaging/icons/${FOLDBENCH_APP_ID}.svg
        DEPENDS ${PROJECT_SOURCE_DIR}/packaging/icons/${FOLDBENCH_APP_ID}.svg VERBATIM)
      list(APPEND generated_files ${png})
      install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
  else()
    message(WARNING "rsvg-convert not found (Debian: librsvg2-bin): the package will lack PNG icons")
  endif()
endif()

# The man page, generated from --help and --version.
set(man ${generated}/foldbench-cli.1.gz)
add_custom_command(OUTPUT ${man}
  COMMAND ${PROJECT_SOURCE_DIR}/packaging/man_page.sh $<TARGET_FILE:foldbench-cli> ${generated}/foldbench-cli.1
  COMMAND gzip -9nf ${generated}/foldbench-cli.1
  DEPENDS foldbench-cli ${PROJECT_SOURCE_DIR}/packaging/man_page.sh VERBATIM)
list(APPEND generated_files ${man})
install(FILES ${man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md docs/GUIDE.md docs/CLI.md docs/CONFIG.md docs/CLUSTER.md docs/CUDA.md docs/TROUBLESHOOTING.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/foldbench)

# The presets as config files to copy and edit, with the sample's paths in the portable
# "resources/sample/" form every front end maps to the installed sample folder.
foreach(preset sample klue-re-scratch klue-re-best)
  set(json ${generated}/presets/${preset}.json)
  add_custom_command(OUTPUT ${json}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}/presets
    COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:foldbench-cli> -DPRESET=${preset} -DOUT=${json}
            -P ${PROJECT_SOURCE_DIR}/packaging/write_preset.cmake
    DEPENDS foldbench-cli ${PROJECT_SOURCE_DIR}/packaging/write_preset.cmake VERBATIM)
  list(APPEND generated_files ${json})
  install(FILES ${json} DESTINATION ${CMAKE_INSTALL_DATADIR}/foldbench/presets)
endforeach()
add_custom_target(foldbench_package_files ALL DEPENDS ${generated_files})

set(CPACK_PACKAGE_NAME foldbench)
set(CPACK_PACKAGE_VENDOR "Foldbench")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "K-fold experiment workbench for Korean relation extraction and text classification")
set(CPACK_PACKAGE_DESCRIPTION "Foldbench trains text classifiers with stratified k-fold cross-validation on LibTorch,
plots every fold live, records each run in a local SQLite tracker and exports
ensemble submissions. foldbench-cli runs the same jobs headless and on Slurm.")
set(CPACK_PACKAGE_CONTACT "Foldbench maintainers <foldbench@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Libraries the programs link come from dpkg-shlibdeps; these are what they load at run time:
# OpenBLAS (LibTorch links the generic libblas.so.3, and the reference BLAS trains several
# times slower) and a font with Hangul glyphs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp | libopenblas0")
if(FOLDBENCH_BUILD_GUI)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", fonts-nanum | fonts-noto-cjk")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "slurm-client")
set(CPACK_GENERATOR DEB)
include(CPack)
