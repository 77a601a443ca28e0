

	
€ €€€€€À("€ €"
"€À€"* * 2oops2alloc_objects2count2alloc_space2bytes2	main.main2main.go2	main.leak2/bin/app