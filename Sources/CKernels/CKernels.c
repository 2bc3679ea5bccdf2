// Everything lives in include/CKernels.h as static inline functions; SwiftPM wants one source file.
#include "CKernels.h"
