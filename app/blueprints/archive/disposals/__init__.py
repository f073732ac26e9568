"""销毁 (/archive/disposals/): the lists, the due list and a new list, a list's page, its keep,
abort and execute actions with the progress of its execution, the 销毁清册 and the
destruction certificate."""
