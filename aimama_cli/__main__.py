from aimama_cli.entry import main

main()
