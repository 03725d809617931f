/* layer_check: an empty program each layer of src/meson.build is linked
 * into whole, with only the layers below it. It runs nothing; that it links
 * is the check that no layer calls upward. */
int main(void)
{
	return 0;
}
