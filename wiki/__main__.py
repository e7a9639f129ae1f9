from wiki.cli.main import main

raise SystemExit(main())
