
struct s { int a; }
int g(void);
