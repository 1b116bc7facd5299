typedef int myint;
myint f(unknown_t x);
