# cmake -DCLI=foldbench-cli -DPRESET=name -DOUT=file -P write_preset.cmake
# Writes a preset's config with the bundled sample paths in their portable form.
execute_process(COMMAND ${CLI} config init --preset ${PRESET} --docs
                OUTPUT_VARIABLE json RESULT_VARIABLE rc
                COMMAND_ERROR_IS_FATAL ANY)
string(REGEX REPLACE "\"[^\"]*/resources/sample/" "\"resources/sample/" json "${json}")
file(WRITE ${OUT} "${json}")
