/* A header with a syntax error on line 4. */
int ok(int a);

int broken(int a int b);
