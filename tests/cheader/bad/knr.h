int ok(int x);
void broken(x);
