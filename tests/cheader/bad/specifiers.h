/* Words that pycparser takes but do not make a C type. */
int ok(int x);
unsigned void broken(int x);
