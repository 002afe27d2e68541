from childfirst.cli import main

main()
