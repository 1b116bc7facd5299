#include "nested.h"
int fine(void);
