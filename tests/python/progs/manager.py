"""A Manager's dict and list, filled by three processes. The Manager's
server is its insides (it serves until shutdown, outside any gate, and
main waits on it outside any gate too): not traced, so a stepped run does
not wait for it to reach a step it never takes."""
import multiprocessing as mp


def work(d, items, i):
    d[i] = i * i
    items.append(i)


if __name__ == "__main__":
    with mp.Manager() as m:
        d = m.dict()
        items = m.list()
        ps = [mp.Process(target=work, args=(d, items, i)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("dict:", sorted(d.items()), "list:", sorted(items), flush=True)
