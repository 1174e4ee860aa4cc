# Installation layout and a Debian package through CPack (cpack -G DEB in the build folder).
include(GNUInstallDirs)
install(TARGETS foldbench_spm foldbench-spm-train
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/foldbench
        RUNTIME DESTINATION ${CMAKE_INSTALL_LIBDIR}/foldbench)
install(FILES resources/sample/train.tsv resources/sample/test.tsv resources/sample/labels.tsv
        DESTINATION ${CMAKE_INSTALL_DATADIR}/foldbench/sample)
install(FILES packaging/foldbench.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)

set(CPACK_PACKAGE_NAME foldbench)
set(CPACK_PACKAGE_VENDOR "Foldbench")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "K-fold experiment workbench for Korean relation extraction and text classification")
set(CPACK_PACKAGE_CONTACT "foldbench@localhost")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libtorch1.13, libsentencepiece0, libqt6widgets6, libqcustomplot2.1-qt6, libsqlite3-0, libopenblas0-openmp")
set(CPACK_GENERATOR DEB)
include(CPack)
