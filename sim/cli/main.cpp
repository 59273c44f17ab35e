// The morsim command line program.
int main() { return 0; }
